import { bucketIndex, bucketLabels, DEFAULT_BUCKET_BOUNDS, parseBucketList, validateBucketBounds, widthBucketThresholds } from './aging-buckets';

describe('aging buckets', () => {
  it('labels the default buckets', () => {
    expect(bucketLabels(DEFAULT_BUCKET_BOUNDS)).toEqual(['current', '1-30', '31-60', '61-90', '91-120', '>120']);
    expect(bucketLabels([15, 45])).toEqual(['current', '1-15', '16-45', '>45']);
  });

  it.each([
    [-10, 0], [0, 0], [1, 1], [30, 1], [31, 2], [60, 2], [61, 3], [90, 3], [91, 4], [120, 4], [121, 5], [4000, 5],
  ])('puts %i days past due in bucket %i', (days, index) => {
    expect(bucketIndex(days, DEFAULT_BUCKET_BOUNDS)).toBe(index);
  });

  it('builds width_bucket thresholds', () => {
    expect(widthBucketThresholds([30, 60, 90, 120])).toEqual([1, 31, 61, 91, 121]);
  });

  it('parses and validates bounds', () => {
    expect(parseBucketList('15, 45,90')).toEqual([15, 45, 90]);
    expect(() => parseBucketList('30,30')).toThrow('increasing day counts');
    expect(() => parseBucketList('0,30')).toThrow('increasing day counts');
    expect(() => parseBucketList('30,x')).toThrow('increasing day counts');
    expect(() => validateBucketBounds([])).toThrow('increasing day counts');
    expect(validateBucketBounds([7])).toEqual([7]);
  });
});
