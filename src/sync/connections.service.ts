import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { instanceToPlain } from 'class-transformer';
import { Repository } from 'typeorm';
import { SECRET_BOX, SecretBox } from '../common/crypto/secret-box';
import { ConflictError, FieldProblem, NotFoundError, ValidationError } from '../common/errors';
import { validateAgainst } from '../common/validation';
import { ConnectorRegistry } from '../connectors/registry';
import { CreateConnectionDto, UpdateConnectionDto } from './connection.dto';
import { Connection } from './connection.entity';
import { ConnectionEvents } from './connection-events';
import { scheduleProblems } from './schedule';

export interface ConnectionView {
  id: string;
  provider: string;
  name: string;
  settings: Record<string, unknown>;
  schedule: { cron: string; timezone: string } | null;
  enabled: boolean;
  status: string;
  statusReason: string | null;
  pausedUntil: Date | null;
  hasCredentials: boolean;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Connections of a tenant. Credentials are write-only: sealed here, never returned. */
@Injectable()
export class ConnectionsService {
  private readonly logger = new Logger(ConnectionsService.name);

  constructor(
    @InjectRepository(Connection) private readonly repo: Repository<Connection>,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly registry: ConnectorRegistry,
    private readonly events: ConnectionEvents,
  ) {}

  async create(tenantId: string, dto: CreateConnectionDto): Promise<Connection> {
    const connector = this.registry.get(dto.provider);
    const problems: FieldProblem[] = [];
    const settings = this.checkSettings(dto.provider, dto.settings ?? {}, problems);
    if (dto.credentials) this.checkCredentials(dto.provider, dto.credentials, problems);
    if (dto.schedule) problems.push(...scheduleProblems(dto.schedule.cron, dto.schedule.timezone));
    if (problems.length) throw new ValidationError(problems);
    await this.assertNameFree(tenantId, dto.name);
    const conn = await this.repo.manager.transaction(async (m) => {
      const row = await m.save(
        m.create(Connection, {
          tenantId,
          provider: connector.manifest.id,
          name: dto.name,
          settings,
          cron: dto.schedule?.cron ?? null,
          timezone: dto.schedule?.timezone ?? 'UTC',
          enabled: dto.enabled ?? true,
        }),
      );
      if (dto.credentials) {
        await m.update(Connection, { id: row.id }, { credentialsEncrypted: this.box.sealJson(dto.credentials, row.id) });
      }
      return row;
    });
    this.logger.log({ connectionId: conn.id, tenantId, provider: conn.provider }, 'connection created');
    this.events.saved(conn);
    return conn;
  }

  list(tenantId: string): Promise<Connection[]> {
    return this.repo.find({ where: { tenantId }, order: { createdAt: 'ASC' } });
  }

  async get(tenantId: string, id: string): Promise<Connection> {
    const conn = await this.repo.findOne({ where: { tenantId, id } });
    if (!conn) throw new NotFoundError('connection', id);
    return conn;
  }

  async findByName(tenantId: string, name: string): Promise<Connection | null> {
    return this.repo.findOne({ where: { tenantId, name } });
  }

  async update(tenantId: string, id: string, dto: UpdateConnectionDto): Promise<Connection> {
    const conn = await this.get(tenantId, id);
    const problems: FieldProblem[] = [];
    const patch: Partial<Omit<Connection, 'tenant'>> = {};
    if (dto.settings !== undefined) patch.settings = this.checkSettings(conn.provider, dto.settings, problems);
    if (dto.credentials !== undefined) {
      this.checkCredentials(conn.provider, dto.credentials, problems);
      patch.credentialsEncrypted = this.box.sealJson(dto.credentials, conn.id);
    }
    if (dto.schedule) {
      problems.push(...scheduleProblems(dto.schedule.cron, dto.schedule.timezone));
      patch.cron = dto.schedule.cron;
      patch.timezone = dto.schedule.timezone;
    } else if (dto.schedule === null) {
      patch.cron = null;
    }
    if (problems.length) throw new ValidationError(problems);
    if (dto.name !== undefined && dto.name !== conn.name) {
      await this.assertNameFree(tenantId, dto.name);
      patch.name = dto.name;
    }
    if (dto.enabled !== undefined) patch.enabled = dto.enabled;
    // New credentials or settings are the fix for a connection that needed attention.
    if ((dto.credentials !== undefined || dto.settings !== undefined) && conn.status === 'needs_attention') {
      patch.status = 'ok';
      patch.statusReason = null;
    }
    await this.repo.update({ tenantId, id }, patch as Parameters<Repository<Connection>['update']>[1]);
    const saved = await this.get(tenantId, id);
    this.events.saved(saved);
    return saved;
  }

  async setEnabled(tenantId: string, id: string, enabled: boolean): Promise<Connection> {
    return this.update(tenantId, id, { enabled });
  }

  async remove(tenantId: string, id: string): Promise<void> {
    const res = await this.repo.delete({ tenantId, id });
    if (!res.affected) throw new NotFoundError('connection', id);
    this.events.deleted(id);
  }

  /** Decrypted credentials, for connectors only; never for API responses or logs. */
  async credentials(tenantId: string, id: string): Promise<Record<string, unknown> | null> {
    const row = await this.repo
      .createQueryBuilder('c')
      .addSelect('c.credentialsEncrypted')
      .where('c.tenant_id = :tenantId AND c.id = :id', { tenantId, id })
      .getOne();
    if (!row) throw new NotFoundError('connection', id);
    return row.credentialsEncrypted ? this.box.openJson<Record<string, unknown>>(row.credentialsEncrypted, id) : null;
  }

  /** Replaces the stored credentials (e.g. a rotated OAuth refresh token), sealed with the master key. */
  async saveCredentials(tenantId: string, id: string, credentials: Record<string, unknown>): Promise<void> {
    const res = await this.repo.update({ tenantId, id }, { credentialsEncrypted: this.box.sealJson(credentials, id) });
    if (!res.affected) throw new NotFoundError('connection', id);
  }

  async hasCredentials(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: { id: string }[] = await this.repo.query(
      'SELECT id FROM connections WHERE id = ANY($1) AND credentials_encrypted IS NOT NULL',
      [ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  async view(conn: Connection): Promise<ConnectionView> {
    return (await this.views([conn]))[0];
  }

  async views(conns: Connection[]): Promise<ConnectionView[]> {
    const withCreds = await this.hasCredentials(conns.map((c) => c.id));
    return conns.map((c) => ({
      id: c.id,
      provider: c.provider,
      name: c.name,
      settings: c.settings,
      schedule: c.cron ? { cron: c.cron, timezone: c.timezone } : null,
      enabled: c.enabled,
      status: c.status,
      statusReason: c.statusReason,
      pausedUntil: c.pausedUntil,
      hasCredentials: withCreds.has(c.id),
      lastRunAt: c.lastRunAt,
      lastSuccessAt: c.lastSuccessAt,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    }));
  }

  private checkSettings(provider: string, settings: Record<string, unknown>, problems: FieldProblem[]): Record<string, unknown> {
    const { settingsSchema } = this.registry.get(provider).manifest;
    const res = validateAgainst(settingsSchema, settings, 'settings');
    problems.push(...res.problems);
    return instanceToPlain(res.value);
  }

  private checkCredentials(provider: string, credentials: Record<string, unknown>, problems: FieldProblem[]): void {
    const { credentialsSchema } = this.registry.get(provider).manifest;
    if (!credentialsSchema) {
      problems.push({ field: 'credentials', message: `provider ${provider} takes no credentials` });
      return;
    }
    problems.push(...validateAgainst(credentialsSchema, credentials, 'credentials').problems);
  }

  private async assertNameFree(tenantId: string, name: string): Promise<void> {
    if (await this.repo.exists({ where: { tenantId, name } })) {
      throw new ConflictError(`a connection named "${name}" already exists`);
    }
  }
}
