import type { Type } from '@nestjs/common';
import { aConnection, aCustomer, anInvoice, type LedgerScope } from '../helpers/factories';
import { bearer, createTenant, startTestApp, type TestApp, type TestTenant } from '../helpers/app';
import { SmtpSink } from './smtp-sink';

export interface DunningWorld {
  t: TestApp;
  tenant: TestTenant;
  scope: LedgerScope;
  smtp: SmtpSink;
  operatorKey: string;
  /** Sets the clock to 10:00 Paris time on a date, and marks the connection freshly synced. */
  at(date: string): Promise<void>;
  run(date: string, body?: Record<string, unknown>): Promise<RunBody>;
  close(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RunBody = Record<string, any>;

export async function dunningWorld(env: Record<string, string> = {}, opts: { extraModules?: Array<Type<unknown>>; provider?: string } = {}): Promise<DunningWorld> {
  const smtp = new SmtpSink();
  const smtpUrl = await smtp.start();
  const t = await startTestApp({
    extraModules: opts.extraModules,
    env: { SMTP_URL: smtpUrl, DUNNING_FROM: 'Acme AR <ar@acme.test>', ...env },
  });
  const tenant = await createTenant(t, 'Acme SAS');
  const connectionId = await aConnection(t.ds, tenant.tenantId, { provider: opts.provider ?? 'fec' });
  const scope = { ds: t.ds, tenantId: tenant.tenantId, connectionId };
  const operatorKey = await tenant.key('operator');
  const world: DunningWorld = {
    t, tenant, scope, smtp, operatorKey,
    async at(date) {
      t.clock.set(`${date}T09:00:00Z`);
      await t.ds.query(`UPDATE connections SET last_success_at = $2 WHERE id = $1`, [connectionId, t.clock.now()]);
    },
    async run(date, body = {}) {
      await world.at(date);
      const res = await t.http().post('/v1/dunning/runs').set(bearer(operatorKey)).send(body);
      if (res.status !== 200) throw new Error(`run failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async close() {
      await t.close();
      await smtp.stop();
    },
  };
  return world;
}

export async function dupont(w: DunningWorld, over: Parameters<typeof aCustomer>[1] = {}) {
  return aCustomer(w.scope, { name: 'Dupont SARL', emails: ['ap@dupont.test'], language: 'fr', ...over });
}

export async function anOpenInvoice(w: DunningWorld, customer: { id: string; externalId: string }, over: Parameters<typeof anInvoice>[2] = {}) {
  return anInvoice(w.scope, customer, { issueDate: '2026-01-01', dueDate: '2026-01-31', totalMinor: 120_000, ...over });
}
