import { ValidationError } from '../../common/errors';
import { DEFAULT_BUCKET_BOUNDS, validateBucketBounds } from './aging-buckets';

/**
 * Receivables options read from `tenants.settings`:
 * `{ "reconciliation": { "oldestFirst": true }, "aging": { "buckets": [30, 60, 90, 120] },
 *    "scoring": { "goodFrom": 70, "watchFrom": 40 } }`.
 */
export interface ReceivablesSettings {
  oldestFirst: boolean;
  bucketBounds: number[];
  /** Scores ≥ goodFrom are `good`, ≥ watchFrom `watch`, below `risky`. */
  goodFrom: number;
  watchFrom: number;
}

export const DEFAULT_RECEIVABLES_SETTINGS: ReceivablesSettings = {
  oldestFirst: false,
  bucketBounds: [...DEFAULT_BUCKET_BOUNDS],
  goodFrom: 70,
  watchFrom: 40,
};

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function readReceivablesSettings(settings: Record<string, unknown> | null | undefined): ReceivablesSettings {
  const s = obj(settings);
  const rec = obj(s.reconciliation);
  const aging = obj(s.aging);
  const scoring = obj(s.scoring);
  const out = { ...DEFAULT_RECEIVABLES_SETTINGS, bucketBounds: [...DEFAULT_RECEIVABLES_SETTINGS.bucketBounds] };
  if (rec.oldestFirst !== undefined) out.oldestFirst = rec.oldestFirst === true;
  if (aging.buckets !== undefined) out.bucketBounds = validateBucketBounds(aging.buckets, 'settings.aging.buckets');
  const score = (v: unknown, field: string, dflt: number) => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 100) {
      throw new ValidationError([{ field, message: 'must be an integer from 0 to 100' }]);
    }
    return v;
  };
  out.goodFrom = score(scoring.goodFrom, 'settings.scoring.goodFrom', out.goodFrom);
  out.watchFrom = score(scoring.watchFrom, 'settings.scoring.watchFrom', out.watchFrom);
  return out;
}
