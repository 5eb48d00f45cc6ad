import { api } from './client';

/** Dunning and collaboration endpoints (disputes, promises, pauses, notes, tasks, approvals). */
type Json = Record<string, unknown>;

/** A customer's timeline: messages (reminders with content and delivery) and events (calls, promises, disputes, notes...). */
export type TimelineEntry =
  | {
      kind: 'message';
      id: string;
      at: string;
      channel: string;
      stepKey: string;
      status: string;
      recipient: string | null;
      subject: string | null;
      body: string | null;
      document: string | null;
      error: string | null;
    }
  | { kind: 'event'; id: string; at: string; type: string; invoiceId: string | null; actor: string; message: string; data: Json };

export async function timeline(customerId: string): Promise<TimelineEntry[]> {
  return (await api.get<{ items: TimelineEntry[] }>(`/v1/customers/${customerId}/timeline`)).items;
}

export interface Dispute {
  id: string;
  invoiceId: string;
  reason: string;
  status: string;
  amountMinor: number | null;
  currency: string | null;
  openedAt: string;
}

export async function disputes(customerId: string): Promise<Dispute[]> {
  const body = await api.get<{ items: Dispute[] }>('/v1/disputes', { customer: customerId, status: 'open' });
  return body.items;
}

export const openDispute = (b: { invoiceId: string; reason: string; amountMinor?: number }) => api.post('/v1/disputes', b);
export const resolveDispute = (id: string, note?: string) => api.post(`/v1/disputes/${id}/resolve`, note ? { note } : {});
export const recordPromise = (b: { customerId: string; invoiceIds: string[]; promisedDate: string; amountMinor: number; currency: string }) =>
  api.post('/v1/promises', b);
export const pauseReminders = (b: { customerId: string; until: string; reason: string }) => api.post('/v1/dunning/pauses', b);
export const addNote = (customerId: string, text: string) => api.post(`/v1/customers/${customerId}/notes`, { text });
export const assignCollector = (customerId: string, collector: string | null) => api.put(`/v1/dunning/customers/${customerId}`, { collector });
/** Admin: applies a policy to the customer. */
export const assignPolicy = (customerId: string, policyId: string) =>
  api.post(`/v1/dunning/policies/${policyId}/assignments`, { scope: 'customer', target: customerId });

export interface PolicyStep {
  key: string;
  trigger: { from: string; days: number };
  channels: string[];
  requiresApproval?: boolean;
  minAmountMinor?: number;
  withPenalties?: boolean;
  templates?: Record<string, { subject: string; body: string }>;
}

export interface Policy {
  id: string;
  name: string;
  isDefault: boolean;
  steps: PolicyStep[];
  grouping?: string;
}

export async function policies(): Promise<Policy[]> {
  return (await api.get<{ items: Policy[] }>('/v1/dunning/policies')).items;
}

/** Today's plan: what a run would send now (dry run, changes nothing). */
export interface PlanInvoice {
  invoiceId: string;
  number: string;
  dueDate: string;
  currency: string;
  outstandingMinor: number;
  stepKey: string;
  interestMinor: number | null;
  indemnityMinor: number | null;
}

export interface PlanMessage {
  customerId: string;
  channel: string;
  stepIndex: number;
  stepKey: string;
  status: 'queued' | 'pending_approval';
  invoices: PlanInvoice[];
}

export interface Plan {
  asOf: string;
  counts: { invoices: number; reminders: number; messages: number; pendingApproval: number; heldCustomers: number };
  messages: PlanMessage[];
  held: Array<{ customerId: string; reason: string; invoices: number }>;
  warnings: string[];
}

export function plan(): Promise<Plan> {
  return api.post<Plan>('/v1/dunning/runs', { dryRun: true });
}

export interface Approval {
  id: string;
  customerId: string;
  customerName: string;
  channel: string;
  stepIndex: number;
  stepKey: string;
  createdAt: string;
  invoices: Array<{ invoiceId: string; number: string; dueDate: string; currency: string; outstandingMinor: number; interestMinor: number | null; indemnityMinor: number | null }>;
}

export async function approvals(): Promise<Approval[]> {
  return (await api.get<{ items: Approval[] }>('/v1/dunning/approvals')).items;
}

export const approve = (id: string) => api.post(`/v1/dunning/approvals/${id}/approve`);
export const reject = (id: string, reason: string) => api.post(`/v1/dunning/approvals/${id}/reject`, { reason });

export interface Task {
  id: string;
  customerId: string;
  customerName: string;
  title: string;
  dueDate: string;
  assignedTo: string | null;
  status: string;
}

export async function tasks(): Promise<Task[]> {
  return (await api.get<{ items: Task[] }>('/v1/dunning/tasks', { status: 'open' })).items;
}

export const CALL_OUTCOMES = ['reached', 'no_answer', 'wrong_contact', 'promise', 'dispute'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export const recordOutcome = (
  id: string,
  b: {
    outcome: CallOutcome;
    note?: string;
    promise?: { promisedDate: string; amountMinor: number; currency?: string; invoiceIds?: string[] };
    dispute?: { invoiceId: string; reason: string };
  },
) => api.post(`/v1/dunning/tasks/${id}/complete`, b);

export interface SentReminder {
  id: string;
  customerId: string;
  customerName: string;
  channel: string;
  stepKey: string;
  status: string;
  recipient: string | null;
  subject: string | null;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
  invoices: number;
  document: string | null;
}

export function sentReminders(cursor: string | null): Promise<{ items: SentReminder[]; nextCursor: string | null }> {
  return api.get('/v1/dashboard/reminders', { limit: 50, cursor });
}
