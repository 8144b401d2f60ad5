import type { SearchQuery } from "./types.js";

const DEFAULT_LIMIT = 20;
const DEFAULT_HITS_PER_PAGE = 20;

/** The window a client asked for, already clamped to `maxTotalHits` as Meilisearch does. */
export type ClientWindow =
  | { mode: "offsetLimit"; offset: number; limit: number; echoOffset: number; echoLimit: number }
  | { mode: "page"; offset: number; limit: number; page: number; hitsPerPage: number };

function present(value: number | null | undefined): value is number {
  return value !== null && value !== undefined;
}

export function clientWindow(query: SearchQuery, maxTotalHits: number): ClientWindow {
  if (present(query.page) || present(query.hitsPerPage)) {
    const page = query.page ?? 1;
    const hitsPerPage = query.hitsPerPage ?? DEFAULT_HITS_PER_PAGE;
    // Page 0 is a valid request that returns no hits but still counts them.
    const [rawOffset, rawLimit] = page === 0 ? [0, 0] : [(page - 1) * hitsPerPage, hitsPerPage];
    const offset = Math.min(rawOffset, maxTotalHits);
    const limit = Math.min(rawLimit, maxTotalHits - offset);
    return { mode: "page", offset, limit, page, hitsPerPage };
  }
  const echoOffset = query.offset ?? 0;
  const echoLimit = query.limit ?? DEFAULT_LIMIT;
  const offset = Math.min(echoOffset, maxTotalHits);
  const limit = Math.min(echoLimit, maxTotalHits - offset);
  return { mode: "offsetLimit", offset, limit, echoOffset, echoLimit };
}

/** Pagination parameters each node receives: everything up to the end of the client window. */
export function widenedPagination(window: ClientWindow): Partial<SearchQuery> {
  const end = window.offset + window.limit;
  return window.mode === "page" ? { page: 1, hitsPerPage: end } : { offset: 0, limit: end };
}

export interface Totals {
  estimatedTotalHits?: number;
  hitsPerPage?: number;
  page?: number;
  totalPages?: number;
  totalHits?: number;
  limit?: number;
  offset?: number;
}

/**
 * The pagination part of the response, in Meilisearch's key order. The total is the sum of
 * the shards' exact figures: a node reports every candidate, `maxTotalHits` bounds only the
 * hits it can return, never the totals.
 */
export function paginationFields(window: ClientWindow, total: number): Totals {
  if (window.mode === "page") {
    const totalPages = window.hitsPerPage === 0 ? 0 : Math.ceil(total / window.hitsPerPage);
    return {
      hitsPerPage: window.hitsPerPage,
      page: window.page,
      totalPages,
      totalHits: total,
    };
  }
  return { limit: window.echoLimit, offset: window.echoOffset, estimatedTotalHits: total };
}
