/** Shapes of the API responses the dashboard reads. Money is integer minor units + currency. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Connection {
  id: string;
  provider: string;
  name: string;
  settings: Record<string, unknown>;
  schedule: { cron: string; timezone: string } | null;
  enabled: boolean;
  status: string;
  statusReason: string | null;
  hasCredentials: boolean;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
}

export interface Provider {
  id: string;
  displayName: string;
  mode?: string;
  auth?: unknown;
}

export interface ApiKeyView {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Customer {
  id: string;
  name: string;
  emails: string[];
  phones: string[];
  currency: string | null;
  termsDays: number | null;
  creditLimitMinor: number | null;
}

export interface Invoice {
  id: string;
  customerId: string | null;
  kind: 'invoice' | 'credit_note';
  number: string;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  totalMinor: number;
  outstandingMinor: number;
  status: string;
}

export interface AgedBalance {
  asOf: string;
  buckets: string[];
  rows: Array<{ customerRef: string; customerId?: string; name: string; currency: string; bucketsMinor: Record<string, number>; totalMinor: number }>;
  totals: Array<{ currency: string; bucketsMinor: Record<string, number>; totalMinor: number }>;
}
