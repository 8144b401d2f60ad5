/** A cumulative histogram bucket: how many observations were at most `le`. */
export interface Bucket {
  readonly le: number;
  readonly count: number;
}

/**
 * The `q`-quantile of cumulative buckets, interpolated linearly inside the bucket that
 * holds it, as Prometheus's `histogram_quantile` does; `null` with no observations. A
 * quantile in the `+Inf` bucket answers the highest finite bound.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | null {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total <= 0 || sorted.at(-1)?.le !== Number.POSITIVE_INFINITY) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bucket of sorted) {
    if (bucket.count >= rank) {
      if (bucket.le === Number.POSITIVE_INFINITY) {
        return sorted.length > 1 ? (sorted.at(-2)?.le ?? null) : null;
      }
      const inBucket = bucket.count - lowerCount;
      if (inBucket <= 0) return bucket.le;
      return lowerBound + (bucket.le - lowerBound) * ((rank - lowerCount) / inBucket);
    }
    lowerBound = bucket.le;
    lowerCount = bucket.count;
  }
  return null;
}
