import { toJsonMinor } from '../../common/money';
import type { Channel } from '../outbox/dunning-message.entity';

/** One invoice × step × channel of a plan (dry run) or of a run's outbox (real run). */
export interface PlanLine {
  invoiceId: string;
  customerId: string;
  number: string;
  dueDate: string;
  currency: string;
  outstandingMinor: bigint;
  policyId: string;
  variant: string | null;
  stepIndex: number;
  stepKey: string;
  channel: Channel;
  triggerDate: string;
  groupKey: string;
  requiresApproval: boolean;
  withPenalties: boolean;
  interestMinor: bigint | null;
  indemnityMinor: bigint | null;
}

export interface HeldCustomer {
  customerId: string;
  reason: 'unmatched_payments' | 'stale_sync';
  invoices: number;
}

/** A stale connection a real run synced before planning (`busy`: a run of it was already queued or running). */
export interface SyncedFirst {
  connectionId: string;
  name: string;
  runId: string;
  status: 'succeeded' | 'failed' | 'busy' | 'retry_scheduled' | 'paused' | 'interrupted' | 'skipped';
  error: string | null;
}

export interface RunMessageView {
  messageId: string | null;
  customerId: string;
  channel: Channel;
  stepIndex: number;
  stepKey: string;
  status: 'queued' | 'pending_approval';
  invoices: Array<{
    invoiceId: string;
    number: string;
    dueDate: string;
    currency: string;
    outstandingMinor: number;
    stepIndex: number;
    stepKey: string;
    policyId: string;
    variant: string | null;
    interestMinor: number | null;
    indemnityMinor: number | null;
  }>;
}

export interface RunResult {
  runId: string | null;
  tenantId: string;
  asOf: string;
  dryRun: boolean;
  counts: { invoices: number; reminders: number; messages: number; pendingApproval: number; heldCustomers: number };
  messages: RunMessageView[];
  held: HeldCustomer[];
  warnings: string[];
}

/** Code-unit order (stable across locales, and much cheaper than localeCompare). */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const n = (v: bigint | null) => (v === null ? null : toJsonMinor(v));

/** Groups lines into messages exactly as the outbox does: one per (group, channel). */
export function buildRunResult(
  base: { runId: string | null; tenantId: string; asOf: string; dryRun: boolean; warnings: string[]; held: HeldCustomer[] },
  lines: PlanLine[],
  messageIds: Map<string, string> = new Map(),
): RunResult {
  const groups = new Map<string, PlanLine[]>();
  for (const l of lines) {
    const key = `${l.groupKey}|${l.channel}`;
    const g = groups.get(key);
    if (g) g.push(l);
    else groups.set(key, [l]);
  }
  const messages: RunMessageView[] = [...groups.entries()].map(([key, ls]) => {
    const top = ls.reduce((a, b) => (b.stepIndex > a.stepIndex ? b : a));
    return {
      messageId: messageIds.get(key) ?? null,
      customerId: ls[0].customerId,
      channel: ls[0].channel,
      stepIndex: top.stepIndex,
      stepKey: top.stepKey,
      status: ls.some((l) => l.requiresApproval) ? 'pending_approval' : 'queued',
      invoices: ls
        .sort((a, b) => cmp(a.dueDate, b.dueDate) || cmp(a.number, b.number) || cmp(a.invoiceId, b.invoiceId))
        .map((l) => ({
          invoiceId: l.invoiceId,
          number: l.number,
          dueDate: l.dueDate,
          currency: l.currency,
          outstandingMinor: toJsonMinor(l.outstandingMinor),
          stepIndex: l.stepIndex,
          stepKey: l.stepKey,
          policyId: l.policyId,
          variant: l.variant,
          interestMinor: n(l.interestMinor),
          indemnityMinor: n(l.indemnityMinor),
        })),
    };
  });
  messages.sort((a, b) => cmp(a.customerId, b.customerId) || cmp(a.channel, b.channel) || cmp(a.invoices[0]?.invoiceId ?? '', b.invoices[0]?.invoiceId ?? ''));
  return {
    runId: base.runId,
    tenantId: base.tenantId,
    asOf: base.asOf,
    dryRun: base.dryRun,
    counts: {
      invoices: new Set(lines.map((l) => l.invoiceId)).size,
      reminders: lines.length,
      messages: messages.length,
      pendingApproval: messages.filter((m) => m.status === 'pending_approval').length,
      heldCustomers: new Set(base.held.map((h) => h.customerId)).size,
    },
    messages,
    held: base.held,
    warnings: base.warnings,
  };
}
