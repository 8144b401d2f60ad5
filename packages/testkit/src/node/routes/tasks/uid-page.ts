import type { Context } from "hono";
import { booleanParam, integerParam } from "../../query-params.js";

/** One page of a uid-ordered listing (`GET /tasks`, `GET /batches`). */
export interface UidPage<T> {
  results: T[];
  total: number;
  limit: number;
  from: number | null;
  next: number | null;
}

/**
 * Pages a listing the way Meilisearch pages tasks and batches: newest first, or oldest
 * first with `reverse=true`, starting at the uid `from`, `limit` per page, `next` naming
 * the first uid of the following page.
 */
export function uidPage<T extends { uid: number }>(
  c: Context,
  newestFirst: readonly T[],
): UidPage<T> {
  const limit = integerParam(c, "limit", "invalid_task_limit", 20);
  const from =
    c.req.query("from") === undefined ? undefined : integerParam(c, "from", "invalid_task_from", 0);
  const reverse = booleanParam(c, "reverse", "invalid_task_reverse") ?? false;
  const ordered = reverse ? [...newestFirst].reverse() : newestFirst;
  const start =
    from === undefined
      ? 0
      : ordered.findIndex((item) => (reverse ? item.uid >= from : item.uid <= from));
  const window = start < 0 ? [] : ordered.slice(start);
  const results = window.slice(0, limit);
  return {
    results,
    total: ordered.length,
    limit,
    from: results[0]?.uid ?? null,
    next: window[limit]?.uid ?? null,
  };
}
