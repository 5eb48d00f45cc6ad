import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import type { Connector, ConnectorManifest, Cursor, PullContext, SyncBatch } from '../../src/connectors/connector';
import { ConnectorRegistry } from '../../src/connectors/registry';

export class TestSettings {
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000)
  pages?: number;

  /** Picks the TestSource the connection reads (`sourceFor(label)`); none = the default `testSource`. */
  @IsOptional() @IsString()
  label?: string;
}

export class TestCredentials {
  @IsString()
  token: string;
}

export interface GeneratedPages {
  pages: number;
  /** Invoices per page; each page also carries their customers (1 per 10 invoices), a payment and an allocation per 2 invoices. */
  pageSize: number;
  /** Bumps amounts, so that a re-sync with another `version` updates every invoice. */
  version?: number;
}

/**
 * What a test connection serves, page by page (cursor `{ page }`), and how it misbehaves on
 * demand: fail at a page (n times), hang at a page until released. It also records what the
 * runner asked for (cursors) and how many pulls ran at once.
 */
export class TestSource {
  pages: SyncBatch[] = [];
  generated: GeneratedPages | null = null;
  pulls: Array<Cursor | null> = [];
  active = 0;
  maxActive = 0;
  /** Pages handed to the runner, over all pulls. */
  served = 0;
  testError: Error | null = null;
  private failures: Array<{ page: number; error: () => Error; remaining: number }> = [];
  private hangs = new Map<number, { reached: () => void; released: Promise<void>; release: () => void }>();

  reset(): void {
    this.pages = [];
    this.generated = null;
    this.pulls = [];
    this.active = 0;
    this.maxActive = 0;
    this.served = 0;
    this.testError = null;
    this.failures = [];
    for (const h of this.hangs.values()) h.release();
    this.hangs.clear();
  }

  get pageCount(): number {
    return this.generated ? this.generated.pages : this.pages.length;
  }

  page(i: number): SyncBatch {
    return this.generated ? generatePage(i, this.generated) : this.pages[i];
  }

  /** Throws `error()` instead of serving page `page`, `times` times. */
  failAt(page: number, error: () => Error, times = 1): void {
    this.failures.push({ page, error, remaining: times });
  }

  /** Blocks before serving page `page` until `release()`; `reached` resolves when a pull gets there. */
  hangAt(page: number): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    const reachedP = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    this.hangs.set(page, { reached, released, release });
    return { reached: reachedP, release };
  }

  async *serve(ctx: PullContext, cursor: Cursor | null): AsyncIterable<SyncBatch> {
    this.pulls.push(cursor);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      const start = typeof cursor?.page === 'number' ? cursor.page : 0;
      for (let i = start; i < this.pageCount; i++) {
        const hang = this.hangs.get(i);
        if (hang) {
          hang.reached();
          await Promise.race([hang.released, new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }))]);
          this.hangs.delete(i);
          if (ctx.signal.aborted) return;
        }
        const failure = this.failures.find((f) => f.page === i && f.remaining > 0);
        if (failure) {
          failure.remaining--;
          throw failure.error();
        }
        this.served++;
        ctx.progress?.(i + 1, this.pageCount);
        yield { ...this.page(i), cursor: { page: i + 1 } };
      }
    } finally {
      this.active--;
    }
  }
}

/** Page `i` of a generated source: deterministic, so two pulls give the same records. */
export function generatePage(i: number, g: GeneratedPages): SyncBatch {
  const v = BigInt(g.version ?? 0);
  const customers = [];
  const invoices = [];
  const payments = [];
  const allocations = [];
  for (let k = 0; k < g.pageSize; k++) {
    const n = i * g.pageSize + k;
    const customer = `C${Math.floor(n / 10)}`;
    if (n % 10 === 0) customers.push({ externalId: customer, name: `Customer ${customer}`, currency: 'EUR', termsDays: 30, emails: [`ar${n}@example.test`] });
    const total = 10_000n + BigInt(n % 997) * 100n + v;
    invoices.push({
      externalId: `I${n}`,
      customerExternalId: customer,
      kind: 'invoice' as const,
      number: `INV-${n}`,
      issueDate: `2026-01-${String(1 + (n % 28)).padStart(2, '0')}`,
      dueDate: null,
      currency: 'EUR',
      totalMinor: total,
      status: 'open' as const,
    });
    if (n % 2 === 0) {
      payments.push({ externalId: `P${n}`, customerExternalId: customer, date: '2026-02-15', currency: 'EUR', amountMinor: total, reference: `INV-${n}` });
      allocations.push({ externalId: `A${n}`, invoiceExternalId: `I${n}`, paymentExternalId: `P${n}`, amountMinor: total, currency: 'EUR', date: '2026-02-15' });
    }
  }
  return { customers, invoices, payments, allocations, cursor: null };
}

/** The default source (connections without `settings.label`). */
export const testSource = new TestSource();
const sources = new Map<string, TestSource>();

/** The source of connections whose `settings.label` is `label`. */
export function sourceFor(label?: string): TestSource {
  if (!label) return testSource;
  let s = sources.get(label);
  if (!s) sources.set(label, (s = new TestSource()));
  return s;
}

export function resetSources(): void {
  testSource.reset();
  for (const s of sources.values()) s.reset();
}

abstract class BaseTestConnector implements Connector {
  abstract readonly manifest: ConnectorManifest;

  pull(ctx: PullContext, cursor: Cursor | null): AsyncIterable<SyncBatch> {
    return sourceFor((ctx.settings as TestSettings).label).serve(ctx, cursor);
  }

  async testConnection(ctx: PullContext): Promise<void> {
    const err = sourceFor((ctx.settings as TestSettings).label).testError;
    if (err) throw err;
  }
}

const manifest = (id: string, mode: ConnectorManifest['mode']): ConnectorManifest => ({
  id,
  displayName: id === 'test' ? 'Test source' : 'Test snapshot source',
  entities: ['customers', 'invoices', 'credit_notes', 'payments', 'allocations'],
  mode,
  writeBack: false,
  auth: 'none',
  settingsSchema: TestSettings,
  credentialsSchema: TestCredentials,
});

/** A connector that lives only in test/: serves its TestSource one page per batch. */
@Injectable()
export class TestConnector extends BaseTestConnector {
  readonly manifest = manifest('test', 'incremental');
}

/** The same, as a snapshot source (each pull is the whole state; unseen rows are tombstoned). */
@Injectable()
export class TestSnapshotConnector extends BaseTestConnector {
  readonly manifest = manifest('test-snapshot', 'snapshot');
}

@Module({ providers: [TestConnector] })
export class TestConnectorModule implements OnModuleInit {
  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly connector: TestConnector,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.connector);
  }
}

@Module({ providers: [TestSnapshotConnector] })
export class TestSnapshotConnectorModule implements OnModuleInit {
  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly connector: TestSnapshotConnector,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.connector);
  }
}
