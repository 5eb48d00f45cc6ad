import type { QboEntity } from './qbo-query';

/** Change Data Capture looks back 30 days at most; past that, a full reconciliation pass. */
export const QBO_CDC_WINDOW_DAYS = 30;
/** A CDC response holds at most 1,000 objects per entity: reaching it means some were cut. */
export const QBO_CDC_MAX_OBJECTS = 1000;

export interface QboCdcResult {
  /** Ids whose `status` is `Deleted`, per entity. */
  deleted: Partial<Record<QboEntity, string[]>>;
  /** The other objects (full payloads of records changed in the window), per entity. */
  changed: Partial<Record<QboEntity, unknown[]>>;
  /** Entities whose list reached the 1,000-object cap (changes may be missing). */
  truncated: QboEntity[];
  /** Server time of the response (`time`): the next `changedSince`. */
  time: string | null;
}

/**
 * Reads `GET /cdc?entities=…&changedSince=…`:
 * `{"CDCResponse": [{"QueryResponse": [{"Invoice": [...]}, {"Payment": [...]}]}], "time": "…"}`,
 * deleted objects being `{"domain": "QBO", "status": "Deleted", "Id": "…", "MetaData": {…}}`.
 */
export function readQboCdc(body: unknown, entities: readonly QboEntity[]): QboCdcResult {
  const result: QboCdcResult = { deleted: {}, changed: {}, truncated: [], time: null };
  if (body === null || typeof body !== 'object') return result;
  const b = body as Record<string, unknown>;
  if (typeof b.time === 'string') result.time = b.time;
  const responses = Array.isArray(b.CDCResponse) ? b.CDCResponse : [];
  const counts = new Map<QboEntity, number>();
  for (const response of responses) {
    const queries = (response as Record<string, unknown>)?.QueryResponse;
    for (const q of Array.isArray(queries) ? queries : []) {
      for (const entity of entities) {
        const list = (q as Record<string, unknown>)?.[entity];
        if (!Array.isArray(list)) continue;
        counts.set(entity, (counts.get(entity) ?? 0) + list.length);
        for (const item of list) {
          const o = item as Record<string, unknown>;
          if (o && o.status === 'Deleted' && (typeof o.Id === 'string' || typeof o.Id === 'number')) {
            (result.deleted[entity] ??= []).push(String(o.Id));
          } else {
            (result.changed[entity] ??= []).push(item);
          }
        }
      }
    }
  }
  result.truncated = entities.filter((e) => (counts.get(e) ?? 0) >= QBO_CDC_MAX_OBJECTS);
  return result;
}

/** Whether `changedSince` is still inside the CDC window (with an hour of margin). */
export function withinCdcWindow(changedSince: string, now: Date): boolean {
  const since = Date.parse(changedSince);
  return Number.isFinite(since) && now.getTime() - since < QBO_CDC_WINDOW_DAYS * 86_400_000 - 3_600_000;
}
