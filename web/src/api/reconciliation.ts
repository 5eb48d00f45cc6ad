import { api } from './client';

/** A payment or credit note with an unallocated remainder. */
export interface Unmatched {
  type: 'payment' | 'credit_note';
  id: string;
  customerId: string | null;
  customerRef: string;
  customerName: string | null;
  currency: string;
  date: string;
  amountMinor: number;
  unallocatedMinor: number;
  reference: string | null;
}

/** An allocation proposed by the matching rules, waiting for an operator. */
export interface Proposed {
  id: string;
  invoiceId: string | null;
  invoiceNumber?: string;
  paymentId: string | null;
  creditNoteId: string | null;
  amountMinor: number;
  currency: string;
  date: string;
  method: string;
  confidence: number;
}

type Page<T> = { items: T[]; nextCursor: string | null };

export const unmatched = (cursor: string | null) => api.get<Page<Unmatched>>('/v1/reconciliation/unmatched', { limit: 25, cursor });
export const proposed = (cursor: string | null) => api.get<Page<Proposed>>('/v1/reconciliation/proposed', { limit: 25, cursor });
export const confirm = (allocationId: string) => api.post(`/v1/allocations/${allocationId}/confirm`);
export const rejectProposal = (allocationId: string) => api.delete(`/v1/allocations/${allocationId}`);

/** A match by hand: `amountMinor` of the payment or credit note applied to the invoice. */
export const allocate = (u: Unmatched, invoiceId: string, amountMinor: number) =>
  api.post('/v1/allocations', { invoiceId, amountMinor, ...(u.type === 'credit_note' ? { creditNoteId: u.id } : { paymentId: u.id }) });
