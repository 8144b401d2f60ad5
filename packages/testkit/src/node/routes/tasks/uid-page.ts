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
 * the first uid of the following page. A caller that may not see every item gets the
 * page cut among every item first, then narrowed to what it may see: `total` still counts
 * every item, and `next` is set only when a whole page plus one stayed visible.
 */
export function uidPage<T extends { uid: number }>(
  c: Context,
  newestFirst: readonly T[],
  visible: (item: T) => boolean = () => true,
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
  const window = (start < 0 ? [] : ordered.slice(start, start + limit + 1)).filter(visible);
  const results = window.slice(0, limit);
  return {
    results,
    total: ordered.length,
    limit,
    from: results[0]?.uid ?? null,
    next: window.length === limit + 1 ? (window[limit]?.uid ?? null) : null,
  };
}
