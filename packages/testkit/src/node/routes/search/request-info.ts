import { randomBytes } from "node:crypto";

/**
 * A request uid as Meilisearch 1.50 gives each search request: a UUID v7, whose first
 * 48 bits are the Unix time in milliseconds, so uids sort by the time of the request.
 */
export function requestUid(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A duration as Meilisearch prints the steps of `performanceDetails` ("1.16ms", "921.47µs"). */
export function spanDuration(ms: number): string {
  return ms >= 1 ? `${ms.toFixed(2)}ms` : `${(ms * 1000).toFixed(2)}µs`;
}

/**
 * The fields Meilisearch appends to a search answer, after its facets and before
 * `semanticHitCount`: the request's uid and, when asked for, the time the search took.
 * Meilisearch itemises the engine's steps; the emulated node times only the whole search.
 */
export function withRequestInfo<T extends object>(
  answer: T,
  info: { uid?: string; startedAt?: number; showPerformanceDetails?: boolean },
): T {
  const { semanticHitCount, ...rest } = answer as T & { semanticHitCount?: number };
  return {
    ...rest,
    ...(info.uid === undefined ? {} : { requestUid: info.uid }),
    ...(info.showPerformanceDetails === true && info.startedAt !== undefined
      ? { performanceDetails: { search: spanDuration(performance.now() - info.startedAt) } }
      : {}),
    ...(semanticHitCount === undefined ? {} : { semanticHitCount }),
  } as T;
}
