import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError, NotFoundError } from '../../common/errors';
import { AuditLog } from '../timeline/audit-log';
import { DunningPolicy } from './dunning-policy.entity';
import { defaultPolicyDefinition, parsePolicyDefinition } from './policy-definition';
import { PolicyAssignment, type AssignmentScope } from './policy-assignment.entity';
import type { CreatePolicyDto } from './policy.dto';

const DEFAULT_NAME = 'Default';

/** Policies of a tenant (CRUD, validated) and their assignment to invoices, customers, segments. */
@Injectable()
export class PoliciesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditLog,
  ) {}

  /** The tenant's default policy id; the shipped default (config/) is installed on first use. */
  async ensureDefault(tenantId: string, m: EntityManager = this.ds.manager): Promise<string> {
    const found = await m.query(`SELECT id FROM dunning_policies WHERE tenant_id = $1 AND is_default`, [tenantId]);
    if (found.length) return found[0].id;
    const inserted = await m.query(
      `INSERT INTO dunning_policies (tenant_id, name, is_default, definition) VALUES ($1, $2, true, $3)
       ON CONFLICT DO NOTHING RETURNING id`,
      [tenantId, DEFAULT_NAME, JSON.stringify(defaultPolicyDefinition())],
    );
    if (inserted.length) return inserted[0].id;
    const again = await m.query(`SELECT id FROM dunning_policies WHERE tenant_id = $1 AND is_default`, [tenantId]);
    if (!again.length) throw new ConflictError(`a policy named "${DEFAULT_NAME}" exists but none is the default: mark one as default`);
    return again[0].id;
  }

  async list(tenantId: string): Promise<DunningPolicy[]> {
    await this.ensureDefault(tenantId);
    return this.ds.getRepository(DunningPolicy).find({ where: { tenantId }, order: { createdAt: 'ASC' } });
  }

  async get(tenantId: string, id: string): Promise<DunningPolicy> {
    const p = await this.ds.getRepository(DunningPolicy).findOneBy({ tenantId, id });
    if (!p) throw new NotFoundError('policy', id);
    return p;
  }

  async create(tenantId: string, dto: CreatePolicyDto, actor: string): Promise<DunningPolicy> {
    const { name, isDefault, ...def } = dto;
    const definition = parsePolicyDefinition(def, 'body');
    await this.ensureDefault(tenantId);
    return this.ds.transaction(async (m) => {
      if (await m.getRepository(DunningPolicy).existsBy({ tenantId, name })) throw new ConflictError(`a policy named "${name}" exists`);
      if (isDefault) await m.update(DunningPolicy, { tenantId, isDefault: true }, { isDefault: false });
      const saved = await m.getRepository(DunningPolicy).save({ tenantId, name, isDefault: !!isDefault, definition });
      await this.audit.record(m, { tenantId, actor, action: 'dunning_policy.created', subjectType: 'dunning_policy', subjectId: saved.id, data: { name } });
      return saved;
    });
  }

  async replace(tenantId: string, id: string, dto: CreatePolicyDto, actor: string): Promise<DunningPolicy> {
    const { name, isDefault, ...def } = dto;
    const definition = parsePolicyDefinition(def, 'body');
    return this.ds.transaction(async (m) => {
      const p = await m.getRepository(DunningPolicy).findOneBy({ tenantId, id });
      if (!p) throw new NotFoundError('policy', id);
      if (isDefault && !p.isDefault) await m.update(DunningPolicy, { tenantId, isDefault: true }, { isDefault: false });
      Object.assign(p, { name, definition, isDefault: isDefault ?? p.isDefault });
      const saved = await m.getRepository(DunningPolicy).save(p);
      await this.audit.record(m, { tenantId, actor, action: 'dunning_policy.updated', subjectType: 'dunning_policy', subjectId: id, data: { name } });
      return saved;
    });
  }

  async remove(tenantId: string, id: string, actor: string): Promise<void> {
    const p = await this.get(tenantId, id);
    if (p.isDefault) throw new ConflictError('the default policy cannot be deleted: make another one the default first');
    await this.ds.transaction(async (m) => {
      await m.delete(DunningPolicy, { tenantId, id });
      await this.audit.record(m, { tenantId, actor, action: 'dunning_policy.deleted', subjectType: 'dunning_policy', subjectId: id, data: {} });
    });
  }

  /** Assigns a policy to an invoice, a customer or a payer segment (replacing any previous one). */
  async assign(tenantId: string, policyId: string, scope: AssignmentScope, target: string, actor: string): Promise<PolicyAssignment> {
    await this.get(tenantId, policyId);
    if (scope !== 'segment') {
      const table = scope === 'invoice' ? 'invoices' : 'customers';
      const ok = /^[0-9a-f-]{36}$/i.test(target)
        ? await this.ds.query(`SELECT 1 FROM ${table} WHERE tenant_id = $1 AND id = $2`, [tenantId, target])
        : [];
      if (!ok.length) throw new NotFoundError(scope, target);
    }
    return this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO dunning_policy_assignments (tenant_id, scope, target, policy_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, scope, target) DO UPDATE SET policy_id = EXCLUDED.policy_id`,
        [tenantId, scope, target, policyId],
      );
      await this.audit.record(m, { tenantId, actor, action: 'dunning_policy.assigned', subjectType: scope, subjectId: target, data: { policyId } });
      return m.getRepository(PolicyAssignment).findOneByOrFail({ tenantId, scope, target });
    });
  }
}
