import { PermanentSyncError, TransientSyncError } from '../connector';

/**
 * QuickBooks Online reports errors as a `Fault` body, `{"Fault": {"Error": [{"Message",
 * "Detail", "code", "element"}], "type": "ValidationFault"}, "time": …}` — with an HTTP error
 * status, or with HTTP 200 (batch and some query errors). 401 bodies use lowercase keys
 * (`fault.error[].message`, type `AUTHENTICATION`). Each fault type becomes a typed error here.
 */
export interface QboFaultDetail {
  type: string;
  code: string;
  message: string;
  detail: string;
}

/** Business validation failed (bad query, invalid reference…): retrying the same request will not help. */
export class QboValidationFault extends PermanentSyncError {
  constructor(readonly fault: QboFaultDetail) {
    super(`QuickBooks ${fault.type} ${fault.code}: ${fault.message}${fault.detail ? ` (${fault.detail})` : ''}`);
    this.name = 'QboValidationFault';
  }
}

/** Code 5010: the `SyncToken` sent is not the entity's current one. */
export class QboStaleObjectError extends QboValidationFault {
  constructor(fault: QboFaultDetail) {
    super(fault);
    this.name = 'QboStaleObjectError';
  }
}

/** The app is not allowed to do this for this company (AuthorizationFault, subscription ended). */
export class QboAuthorizationFault extends PermanentSyncError {
  constructor(readonly fault: QboFaultDetail) {
    super(`QuickBooks ${fault.type} ${fault.code}: ${fault.message}`);
    this.name = 'QboAuthorizationFault';
  }
}

/** The access token was refused (AuthenticationFault 3200). */
export class QboAuthenticationFault extends PermanentSyncError {
  constructor(readonly fault: QboFaultDetail) {
    super(`QuickBooks ${fault.type} ${fault.code}: ${fault.message}`);
    this.name = 'QboAuthenticationFault';
  }
}

/** SystemFault or throttling: retry later. */
export class QboTransientFault extends TransientSyncError {
  constructor(readonly fault: QboFaultDetail, retryAfterMs?: number) {
    super(`QuickBooks ${fault.type} ${fault.code}: ${fault.message}`, retryAfterMs);
    this.name = 'QboTransientFault';
  }
}

export type QboFaultError = QboValidationFault | QboAuthorizationFault | QboAuthenticationFault | QboTransientFault;

function pick(o: Record<string, unknown>, ...keys: string[]): unknown {
  for (const k of keys) if (o[k] !== undefined) return o[k];
  return undefined;
}

/** The fault in a response body, or null when the body carries none. */
export function readQboFault(body: unknown): QboFaultDetail | null {
  if (body === null || typeof body !== 'object') return null;
  const fault = pick(body as Record<string, unknown>, 'Fault', 'fault');
  if (fault === null || typeof fault !== 'object') return null;
  const f = fault as Record<string, unknown>;
  const errors = pick(f, 'Error', 'error');
  const first = (Array.isArray(errors) ? errors[0] : undefined) as Record<string, unknown> | undefined;
  const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
  return {
    type: str(pick(f, 'type', 'Type')) || 'Fault',
    code: str(first && pick(first, 'code', 'Code')),
    message: str(first && pick(first, 'Message', 'message')),
    detail: str(first && pick(first, 'Detail', 'detail')),
  };
}

/** Normalizes `003001` and `3001` alike. */
const codeIs = (fault: QboFaultDetail, code: number) => Number.parseInt(fault.code, 10) === code;

export function qboFaultError(fault: QboFaultDetail, status: number, retryAfterMs?: number): QboFaultError {
  const type = fault.type.toLowerCase();
  if (status === 429 || codeIs(fault, 3001) || /throttle/i.test(fault.message)) return new QboTransientFault(fault, retryAfterMs);
  if (status === 401 || type.startsWith('authentication') || codeIs(fault, 3200)) return new QboAuthenticationFault(fault);
  if (status === 403 || type.startsWith('authorization') || codeIs(fault, 3100)) return new QboAuthorizationFault(fault);
  if (codeIs(fault, 5010)) return new QboStaleObjectError(fault);
  if (status >= 500 || type.startsWith('system') || type === 'service') return new QboTransientFault(fault, retryAfterMs);
  return new QboValidationFault(fault);
}
