import { SecretBoxError } from '../common/crypto/secret-box';
import { DomainError } from '../common/errors';
import { PermanentSyncError, SourcePausedError, TransientSyncError } from '../connectors/connector';

export type ErrorClass =
  | { kind: 'permanent'; message: string; cause?: string }
  | { kind: 'transient'; message: string; cause?: string; retryAfterMs?: number }
  | { kind: 'paused'; message: string; until: Date };

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);
/** PostgreSQL SQLSTATEs worth retrying: serialization, deadlock, lock timeout, query canceled, connection problems. */
const PG_TRANSIENT = /^(40001|40P01|55P03|57014|57P0[1-3]|08...|53...)$/;
/** Data exceptions and integrity violations: the source data is at fault. */
const PG_DATA = /^(22...|23...)$/;

/** Error text for run history and logs: message only, bounded, no request/credential objects. */
function describe(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.length > 1000 ? `${msg.slice(0, 1000)}…` : msg;
}

function causeOf(e: unknown): string | undefined {
  const cause = e instanceof Error ? (e as Error & { cause?: unknown }).cause : undefined;
  return cause === undefined ? undefined : describe(cause);
}

/**
 * How the runner reacts to an error: `permanent` (revoked credentials, invalid settings,
 * source data failing validation) marks the connection `needs_attention` and stops;
 * `transient` (network, 429, 5xx, lock timeouts) is retried with backoff; `paused` waits
 * until the source allows us back. Unknown errors are treated as transient (bounded retries).
 */
export function classifySyncError(e: unknown): ErrorClass {
  if (e instanceof SourcePausedError) return { kind: 'paused', message: describe(e), until: e.until };
  if (e instanceof PermanentSyncError) return { kind: 'permanent', message: describe(e), cause: causeOf(e) };
  if (e instanceof TransientSyncError) return { kind: 'transient', message: describe(e), cause: causeOf(e), retryAfterMs: e.retryAfterMs };
  // Unknown provider, invalid stored settings, credentials that no longer decrypt: retrying cannot help.
  if ((e instanceof DomainError && e.status < 500) || e instanceof SecretBoxError) return { kind: 'permanent', message: describe(e) };
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string') {
    if (PG_DATA.test(code)) return { kind: 'permanent', message: `source data rejected by the database: ${describe(e)}` };
    if (PG_TRANSIENT.test(code) || NETWORK_CODES.has(code)) return { kind: 'transient', message: describe(e) };
  }
  const status = (e as { response?: { status?: unknown } })?.response?.status;
  if (typeof status === 'number') {
    if (status === 401 || status === 403) return { kind: 'permanent', message: describe(e) };
    if (status === 429 || status >= 500) return { kind: 'transient', message: describe(e) };
  }
  return { kind: 'transient', message: describe(e), cause: causeOf(e) };
}

/**
 * Exponential backoff with full jitter: a random delay in [base·2^(attempt−1) / 2, base·2^(attempt−1)],
 * capped; `retryAfterMs` from the source wins when larger.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number, retryAfterMs?: number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(exp / 2 + (exp / 2) * random());
  return Math.max(jittered, retryAfterMs ?? 0);
}
