/**
 * External ids of QuickBooks records in the ledger. Invoices and credit memos share the
 * invoices table, so credit memos carry a prefix; allocations are named after the payment
 * line that made them.
 */
export const CREDIT_MEMO_PREFIX = 'CreditMemo:';

export const creditMemoExternalId = (id: string) => `${CREDIT_MEMO_PREFIX}${id}`;

/** The QuickBooks entity and id behind a ledger invoice external id. */
export function qboInvoiceRef(externalId: string): { entity: 'Invoice' | 'CreditMemo'; id: string } {
  return externalId.startsWith(CREDIT_MEMO_PREFIX)
    ? { entity: 'CreditMemo', id: externalId.slice(CREDIT_MEMO_PREFIX.length) }
    : { entity: 'Invoice', id: externalId };
}
