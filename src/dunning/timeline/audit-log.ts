import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';

export interface AuditEntry {
  tenantId: string;
  /** API key id, or `system`. */
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
}

/** Writes `audit_events` rows (who did what, when) in the caller's transaction. */
@Injectable()
export class AuditLog {
  constructor(private readonly clock: Clock) {}

  async record(m: EntityManager, e: AuditEntry): Promise<void> {
    await m.query(
      `INSERT INTO audit_events (tenant_id, actor, action, subject_type, subject_id, data, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [e.tenantId, e.actor, e.action, e.subjectType, e.subjectId, JSON.stringify(e.data), this.clock.now()],
    );
  }
}
