import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { aConnection, aCustomer, anInvoice } from '../helpers/factories';
import { createTenant, startTestApp, type TestApp } from '../helpers/app';
import { spawn } from 'node:child_process';
import { CLI, childEnv } from '../helpers/processes';
import { SmtpSink } from './smtp-sink';

jest.setTimeout(180_000);

/** The CLI as a child process, without blocking this process (the SMTP server lives here). */
function runCli(args: string[], env: Record<string, string>, input?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: childEnv(env) });
    child.stdin.end(input ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `ledgerbridge dunning run`, `dunning bounce` and `report dunning-status`, as a child process on the test database (needs `npm run build`). */
describe('dunning CLI', () => {
  const smtp = new SmtpSink();
  let t: TestApp;
  let tenantId: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    const smtpUrl = await smtp.start();
    t = await startTestApp();
    tenantId = (await createTenant(t, 'Acme SAS')).tenantId;
    // the CLI runs on the system clock: send at any hour for this test
    await t.ds.query(`UPDATE tenants SET settings = $2 WHERE id = $1`, [tenantId, JSON.stringify({ dunning: { sendingDays: [1, 2, 3, 4, 5, 6, 7], sendingHours: [0, 24], defaultLanguage: 'en' } })]);
    const connectionId = await aConnection(t.ds, tenantId);
    const scope = { ds: t.ds, tenantId, connectionId };
    const c = await aCustomer(scope, { name: 'Smith Ltd', emails: ['ap@smith.test'], externalId: 'C-SMITH' });
    await anInvoice(scope, c, { number: 'INV-9', externalId: 'I-9', dueDate: '2026-01-31', totalMinor: 250_000 });
    env = { DATABASE_URL: t.db.url, SMTP_URL: smtpUrl, DUNNING_SYNC_FRESHNESS_HOURS: '0', LOG_LEVEL: 'silent', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'lb-dunning-cli-')), MASTER_KEY: randomBytes(32).toString('base64') };
  });

  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('dry-runs, runs once, then reports the status as CSV', async () => {
    const dry = await runCli(['dunning', 'run', '--tenant', tenantId, '--as-of', '2026-02-06', '--dry-run', '--json'], env);
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    const plan = JSON.parse(dry.stdout);
    expect(plan).toMatchObject({ dryRun: true, runId: null, asOf: '2026-02-06', counts: { invoices: 1, reminders: 1, messages: 1 }, delivery: null });
    expect(plan.messages[0].invoices[0]).toMatchObject({ number: 'INV-9', outstandingMinor: 250000, stepKey: 'reminder_1' });
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM dunning_reminders`);
    expect(n).toBe(0);

    const real = await runCli(['dunning', 'run', '--tenant', tenantId, '--as-of', '2026-02-06'], env);
    expect(real.status).toBe(0);
    expect(real.stdout).toMatch(/^Run [0-9a-f-]{36} as of 2026-02-06: 1 message\(s\), 1 reminder\(s\) on 1 invoice\(s\), 0 awaiting approval, 0 customer\(s\) held\n/);
    expect(real.stdout).toContain('INV-9            due 2026-01-31  2500.00 EUR');
    expect(smtp.received.map((m) => [m.to, m.subject])).toEqual([[['ap@smith.test'], 'Reminder: overdue invoices']]);

    const again = await runCli(['dunning', 'run', '--tenant', tenantId, '--as-of', '2026-02-06', '--json'], env);
    expect(JSON.parse(again.stdout).counts.reminders).toBe(0);
    expect(smtp.received).toHaveLength(1);

    const csv = await runCli(['report', 'dunning-status', '--tenant', tenantId, '--csv'], env);
    expect(csv.status).toBe(0);
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe('at,customerRef,customerName,invoiceRef,invoiceNumber,event,channel,step,message,actor');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z,C-SMITH,Smith Ltd,I-9,INV-9,reminder_sent,email,reminder_1,E-mail sent: reminder_1 \(email\) on \d{4}-\d{2}-\d{2},system$/);
  });

  it('takes a bounce on standard input (an MTA pipe) and marks the reminder failed', async () => {
    const returned = smtp.received[0].raw.split(/\r?\n\r?\n/)[0];
    const bounce = [
      'From: MAILER-DAEMON@mx.smith.test', 'To: no-reply@localhost', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '',
      '--b', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.smith.test', '',
      'Final-Recipient: rfc822; ap@smith.test', 'Action: failed', 'Status: 5.2.2', 'Diagnostic-Code: smtp; 552 5.2.2 mailbox full', '',
      '--b', 'Content-Type: text/rfc822-headers', '', returned, '--b--', '',
    ].join('\n');
    const res = await runCli(['dunning', 'bounce', '--tenant', tenantId, '--json'], env, bounce);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout).outcomes).toEqual([expect.objectContaining({ outcome: 'failed', reason: 'bounced (5.2.2) by ap@smith.test: 552 5.2.2 mailbox full' })]);
    const rows = await t.ds.query(`SELECT status, last_error FROM dunning_messages`);
    expect(rows).toEqual([{ status: 'failed', last_error: 'bounced (5.2.2) by ap@smith.test: 552 5.2.2 mailbox full' }]);
    const junk = await runCli(['dunning', 'bounce', '--tenant', tenantId], env, 'Subject: hi\n\nthanks\n');
    expect(junk.status).toBe(2);
    expect(junk.stderr).toContain('names no reminder of ours');
  });
});
