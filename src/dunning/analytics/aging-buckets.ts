import { ValidationError } from '../../common/errors';

/** Upper bounds (days past due) of the aging buckets after `current`: Current, 1–30, …, 91–120, >120. */
export const DEFAULT_BUCKET_BOUNDS: readonly number[] = [30, 60, 90, 120];

/**
 * Checks bucket bounds: strictly increasing positive day counts (at most 12). `[30, 60]`
 * gives the buckets `current`, `1-30`, `31-60`, `>60`.
 */
export function validateBucketBounds(bounds: unknown, field = 'buckets'): number[] {
  if (!Array.isArray(bounds) || bounds.length === 0 || bounds.length > 12) {
    throw new ValidationError([{ field, message: 'must be 1 to 12 increasing day counts, e.g. 30,60,90,120' }]);
  }
  const out: number[] = [];
  for (const b of bounds) {
    const n = typeof b === 'string' && /^\d+$/.test(b.trim()) ? Number(b.trim()) : b;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 3650 || (out.length && n <= out[out.length - 1])) {
      throw new ValidationError([{ field, message: 'must be 1 to 12 increasing day counts, e.g. 30,60,90,120' }]);
    }
    out.push(n);
  }
  return out;
}

/** `30,60,90` → [30, 60, 90]. */
export function parseBucketList(text: string, field = 'buckets'): number[] {
  return validateBucketBounds(text.split(','), field);
}

/** Labels of the buckets the bounds describe: `current`, `1-30`, `31-60`, …, `>120`. */
export function bucketLabels(bounds: readonly number[]): string[] {
  const labels = ['current'];
  let low = 1;
  for (const b of bounds) {
    labels.push(`${low}-${b}`);
    low = b + 1;
  }
  labels.push(`>${bounds[bounds.length - 1]}`);
  return labels;
}

/**
 * Thresholds for PostgreSQL `width_bucket(days_past_due, thresholds)`: bucket 0 is current
 * (≤ 0 days), bucket k holds days in (bounds[k-2], bounds[k-1]].
 */
export function widthBucketThresholds(bounds: readonly number[]): number[] {
  return [1, ...bounds.map((b) => b + 1)];
}

/** The bucket index of a number of days past due (same rule as the SQL). */
export function bucketIndex(daysPastDue: number, bounds: readonly number[]): number {
  return widthBucketThresholds(bounds).filter((t) => daysPastDue >= t).length;
}
