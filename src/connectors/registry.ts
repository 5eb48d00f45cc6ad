import { Injectable } from '@nestjs/common';
import { ValidationError } from '../common/errors';
import type { Connector } from './connector';

/**
 * Providers by id. Each provider module registers its connector here on init (see
 * `providers.ts`); code outside `connectors/<provider>/` asks this registry, never a vendor class.
 */
@Injectable()
export class ConnectorRegistry {
  private readonly byId = new Map<string, Connector>();

  register(connector: Connector): void {
    if (this.byId.has(connector.manifest.id)) throw new Error(`duplicate connector id ${connector.manifest.id}`);
    this.byId.set(connector.manifest.id, connector);
  }

  get(id: string): Connector {
    const c = this.byId.get(id);
    if (!c) throw new ValidationError([{ field: 'provider', message: `unknown provider "${id}"; known: ${this.ids().join(', ') || 'none'}` }]);
    return c;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  ids(): string[] {
    return [...this.byId.keys()].sort();
  }

  all(): Connector[] {
    return this.ids().map((id) => this.byId.get(id)!);
  }
}
