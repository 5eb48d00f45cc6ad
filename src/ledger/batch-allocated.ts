import type { NormalizedAllocation, NormalizedInvoice, NormalizedPayment } from '../connectors/connector';

/** Allocated amounts per external id, of invoices (and credit notes) and of payments. */
export interface BatchAllocated {
  invoices: Map<string, bigint>;
  payments: Map<string, bigint>;
  /** External ids of the allocations counted in those sums. */
  counted: Set<string>;
}

/**
 * The `allocated_minor` that the allocated-amount triggers will give the documents of a
 * batch, counting only the allocations whose both ends are in the batch (the usual page of
 * a sync: invoices, their payments and the allocations between them). The writer inserts new
 * documents with it, so that the trigger that fires on the batch's allocations finds them
 * already right and does not write every document a second time.
 *
 * It is a head start, never the truth: the triggers still recompute every document at either
 * end of the allocations written (or linked) in the batch, and a new document with an
 * allocation in the batch is always one of them (the allocation is new or changed, so
 * written; or unchanged, so still waiting for this document, and linked). A document whose
 * allocations are elsewhere gets less here, and the trigger corrects it.
 *
 * The rule is the triggers' "in force": the allocation links an invoice (any kind, status not
 * void) to a payment, or else to a credit note (kind credit_note, not void); payments and
 * documents written by a batch are not tombstoned. Records are the batch's, deduplicated.
 */
export function batchAllocated(invoices: NormalizedInvoice[], payments: NormalizedPayment[], allocations: NormalizedAllocation[]): BatchAllocated {
  const out: BatchAllocated = { invoices: new Map(), payments: new Map(), counted: new Set() };
  if (!allocations.length) return out;
  const docs = new Map(invoices.map((i) => [i.externalId, i]));
  const paid = new Set(payments.map((p) => p.externalId));
  const inForce = (i: NormalizedInvoice | undefined): i is NormalizedInvoice => i !== undefined && i.status !== 'void';
  const add = (to: Map<string, bigint>, id: string, amount: bigint) => to.set(id, (to.get(id) ?? 0n) + amount);
  for (const a of allocations) {
    if (!inForce(docs.get(a.invoiceExternalId))) continue;
    if (a.paymentExternalId != null) {
      if (!paid.has(a.paymentExternalId)) continue;
      add(out.invoices, a.invoiceExternalId, a.amountMinor);
      add(out.payments, a.paymentExternalId, a.amountMinor);
      out.counted.add(a.externalId);
    } else if (a.creditNoteExternalId != null) {
      const cn = docs.get(a.creditNoteExternalId);
      if (!inForce(cn) || cn.kind !== 'credit_note') continue;
      add(out.invoices, a.invoiceExternalId, a.amountMinor);
      add(out.invoices, a.creditNoteExternalId, a.amountMinor);
      out.counted.add(a.externalId);
    }
  }
  return out;
}
