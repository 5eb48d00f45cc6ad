import { PermanentSyncError } from '../../connectors/connector';

/**
 * A vendor answered with a status that is not retried (4xx other than 401/429): the request
 * itself is wrong for the source, so retrying would not help.
 */
export class HttpStatusError extends PermanentSyncError {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    /** Parsed response body; may be shown to an operator, never contains our credentials. */
    readonly body: unknown,
  ) {
    super(`${method.toUpperCase()} ${path} answered ${status}${describeBody(body)}`);
    this.name = 'HttpStatusError';
  }
}

/** A short, secret-free description of a vendor error body (its message fields only). */
export function describeBody(body: unknown): string {
  if (body === null || body === undefined || body === '') return '';
  if (typeof body === 'string') return `: ${body.slice(0, 200)}`;
  if (typeof body !== 'object') return '';
  // Sage answers a list of errors: `[{"$severity", "$dataCode", "$message", "$source"}]`.
  if (Array.isArray(body)) return body.length ? describeBody(body[0]) : '';
  const b = body as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of ['error', 'Type', 'Message', 'message', '$message', 'error_description', 'detail', 'Detail']) {
    const v = b[key];
    if (typeof v === 'string' && v) parts.push(v);
  }
  // Xero's ValidationException lists its reasons per element.
  if (Array.isArray(b.Elements)) {
    for (const el of b.Elements as Array<{ ValidationErrors?: Array<{ Message?: unknown }> }>) {
      for (const v of el?.ValidationErrors ?? []) if (typeof v?.Message === 'string') parts.push(v.Message);
    }
  }
  return parts.length ? `: ${parts.join(' — ').slice(0, 300)}` : '';
}
