import { RecordReader } from '../vendor-record';

/** Entities pulled through the query endpoint, in the order a sync walks them. */
export const QBO_ENTITIES = ['Customer', 'Invoice', 'CreditMemo', 'Payment'] as const;
export type QboEntity = (typeof QBO_ENTITIES)[number];

/** The query endpoint's largest page. */
export const QBO_MAX_RESULTS = 1000;

/** Where the incremental walk of one entity stands. */
export interface QboWatermark {
  /** `Metadata.LastUpdatedTime` of the last record read; null before the first record. */
  since: string | null;
  /** 1-based `STARTPOSITION` among the records updated at or after `since`. */
  position: number;
}

/**
 * `SELECT * FROM Invoice WHERE Metadata.LastUpdatedTime >= '…' ORDERBY Metadata.LastUpdatedTime
 * STARTPOSITION n MAXRESULTS 1000`. Customers are filtered on `Active IN (true, false)`: by
 * default the query endpoint hides inactive customers, whose invoices still matter.
 */
export function qboQuery(entity: QboEntity, mark: QboWatermark, maxResults = QBO_MAX_RESULTS): string {
  const where: string[] = [];
  if (entity === 'Customer') where.push('Active IN (true, false)');
  if (mark.since) where.push(`Metadata.LastUpdatedTime >= '${mark.since.replace(/'/g, '')}'`);
  return [
    `SELECT * FROM ${entity}`,
    where.length ? `WHERE ${where.join(' AND ')}` : '',
    'ORDERBY Metadata.LastUpdatedTime',
    `STARTPOSITION ${mark.position} MAXRESULTS ${maxResults}`,
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * The watermark after a page: re-query from the page's last `LastUpdatedTime` (inclusive,
 * so records sharing that instant are read again rather than missed: the writer skips
 * unchanged rows). Only when a full page shares one instant does the position advance, so
 * the walk cannot loop. Null when the entity is done.
 */
export function nextQboWatermark(entity: QboEntity, mark: QboWatermark, page: readonly unknown[], maxResults = QBO_MAX_RESULTS): QboWatermark | null {
  if (page.length < maxResults) return null;
  const times = page.map((raw) => {
    try {
      return RecordReader.of(entity, raw, 'Id').dateTime('MetaData.LastUpdatedTime');
    } catch {
      return null;
    }
  });
  const last = [...times].reverse().find((t): t is string => t !== null) ?? mark.since;
  if (last === null) return { since: mark.since, position: mark.position + page.length };
  const allSame = times.every((t) => t === last);
  if (allSame && last === mark.since) return { since: last, position: mark.position + page.length };
  if (allSame) return { since: last, position: 1 + page.length };
  return { since: last, position: 1 };
}
