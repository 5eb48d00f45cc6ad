/** Plan comptable général (PCG) classes, as used to classify FEC entries. */

/** What an entry's lines touch, as bit flags. */
export const ACCOUNT = {
  CUSTOMER: 1,
  ADVANCE: 2,
  REVENUE: 4,
  VAT: 8,
  BANK: 16,
  EQUITY: 32,
  CLASS8: 64,
  EXPENSE: 128,
  OTHER: 256,
} as const;

/** Receivable accounts: 411 customers, 413 bills receivable, 416 doubtful customers. 418 (accrued) is not a customer. */
export function isReceivableAccount(account: string): boolean {
  return account.startsWith('411') || account.startsWith('413') || account.startsWith('416');
}

/** 419: advances received from customers; they count against the customer's outstanding. */
export function isAdvanceAccount(account: string): boolean {
  return account.startsWith('419');
}

export function accountFlag(account: string, advancesAreCustomer: boolean): number {
  if (isReceivableAccount(account)) return ACCOUNT.CUSTOMER;
  if (isAdvanceAccount(account)) return advancesAreCustomer ? ACCOUNT.CUSTOMER | ACCOUNT.ADVANCE : ACCOUNT.OTHER;
  if (account.startsWith('445')) return ACCOUNT.VAT;
  switch (account[0]) {
    case '7':
      return ACCOUNT.REVENUE;
    case '5':
      return ACCOUNT.BANK;
    case '1':
      return ACCOUNT.EQUITY;
    case '8':
      return ACCOUNT.CLASS8;
    case '6':
      return ACCOUNT.EXPENSE;
    default:
      return ACCOUNT.OTHER;
  }
}

const OPENING_JOURNALS = new Set(['AN', 'ANO', 'RAN', 'OUV', 'A-N', 'A.N', 'AN0', 'ANOUV', 'REPORT']);

/**
 * Opening balances: journals AN, ANO, RAN, OUV; a numeric journal code (as some packages
 * use) dated at the fiscal-year start or against class 1/8; or any entry dated at the
 * fiscal-year start against class 1 or 8. Never an entry with sales in it.
 */
export function isOpeningEntry(journal: string, date: string, flags: number, fiscalYearStart: string): boolean {
  const code = journal.toUpperCase();
  if (OPENING_JOURNALS.has(code)) return true;
  if (flags & ACCOUNT.REVENUE) return false;
  const atStart = date === fiscalYearStart;
  const againstBalanceSheet = (flags & (ACCOUNT.EQUITY | ACCOUNT.CLASS8)) !== 0;
  if (/^\d+$/.test(code)) return atStart || againstBalanceSheet;
  return atStart && againstBalanceSheet;
}
