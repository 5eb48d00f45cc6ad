import type { NormalizedAllocation } from './connector';

/** One line of a receipt in the source: an amount applied to an invoice or taken from a credit note. */
export interface ReceiptLine {
  kind: 'invoice' | 'credit_note';
  /** Ledger external id of the invoice or credit note. */
  externalId: string;
  /** Positive amount in minor units. */
  amountMinor: bigint;
}

/**
 * Splits a receipt that mixes invoices and credit notes (QuickBooks `Payment.Line[].LinkedTxn`,
 * Sage `allocated_artefacts`) into allocations: the credit notes' amounts settle the invoices
 * first, in line order; what remains of each invoice line is settled by the payment itself.
 * E.g. invoice 100 + credit note 30 on a 70 receipt → credit note→invoice 30, payment→invoice 70.
 */
export function splitReceipt(
  payment: { externalId: string; currency: string; date: string },
  lines: readonly ReceiptLine[],
): NormalizedAllocation[] {
  const credits = lines.filter((l) => l.kind === 'credit_note').map((l) => ({ ...l, left: l.amountMinor }));
  const out: NormalizedAllocation[] = [];
  const ids = new Map<string, number>();
  const uniqueId = (base: string) => {
    const n = (ids.get(base) ?? 0) + 1;
    ids.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  };
  for (const line of lines) {
    if (line.kind !== 'invoice') continue;
    let left = line.amountMinor;
    for (const credit of credits) {
      if (left === 0n) break;
      if (credit.left === 0n) continue;
      const take = credit.left < left ? credit.left : left;
      credit.left -= take;
      left -= take;
      out.push({
        externalId: uniqueId(`${payment.externalId}:${credit.externalId}:${line.externalId}`),
        invoiceExternalId: line.externalId,
        creditNoteExternalId: credit.externalId,
        paymentExternalId: null,
        amountMinor: take,
        currency: payment.currency,
        date: payment.date,
      });
    }
    if (left > 0n) {
      out.push({
        externalId: uniqueId(`${payment.externalId}:${line.externalId}`),
        invoiceExternalId: line.externalId,
        paymentExternalId: payment.externalId,
        creditNoteExternalId: null,
        amountMinor: left,
        currency: payment.currency,
        date: payment.date,
      });
    }
  }
  return out;
}
