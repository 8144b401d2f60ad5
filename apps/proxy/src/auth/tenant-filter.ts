import type { Context } from "hono";
import { readBodyBytes } from "../body/read-body.js";
import type { SearchFilter } from "./tenant-token.js";

/** What a tenant token's caller may search: the allowed indexes and each one's filter. */
export interface TenantScope {
  allowsIndex(indexUid: string): boolean;
  searchFilter(indexUid: string): SearchFilter | null;
}

const SEARCH_ROUTE = /^\/indexes\/([^/]+)\/(?:search|facet-search|similar)$/;

/** Both filters must hold: top-level array elements are ANDed, whatever form each side has. */
export function andFilters(rule: SearchFilter, client: unknown): unknown {
  if (client === undefined || client === null || client === "") return rule;
  const asArray = (filter: unknown) => (Array.isArray(filter) ? filter : [filter]);
  return [...asArray(rule), ...asArray(client)];
}

/** A filter in the string form that GET routes take. */
export function filterText(filter: unknown): string {
  if (!Array.isArray(filter)) return String(filter);
  return filter
    .map((part) =>
      Array.isArray(part)
        ? `(${part.map((alternative) => `(${alternative})`).join(" OR ")})`
        : `(${part})`,
    )
    .join(" AND ");
}

function segment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Makes a tenant token's `searchRules` part of the request itself before any route runs:
 * every search on an index gets the rule's filter ANDed with its own (query string for
 * GET, JSON body for POST, each query of a multi-search), and a multi-search query on an
 * index the token does not allow is refused through `refuse`. Bodies that are not JSON
 * objects are left for the route to reject as it would any other.
 */
export async function applyTenantRules(
  c: Context,
  scope: TenantScope,
  limitBytes: number,
  refuse: () => Error,
): Promise<void> {
  const method = c.req.method;
  const match = SEARCH_ROUTE.exec(c.req.path);
  if (match !== null && method === "GET") {
    const rule = scope.searchFilter(segment(match[1] as string));
    if (rule === null) return;
    const url = new URL(c.req.url);
    const client = url.searchParams.get("filter");
    url.searchParams.set(
      "filter",
      client === null ? filterText(rule) : `(${filterText(rule)}) AND (${client})`,
    );
    c.req.raw = new Request(url, c.req.raw);
    return;
  }
  const multi = c.req.path === "/multi-search" && method === "POST";
  if ((match === null || method !== "POST") && !multi) return;
  const rule = match === null ? null : scope.searchFilter(segment(match[1] as string));
  if (!multi && rule === null) return;
  const bytes = await readBodyBytes(c, limitBytes);
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    body = undefined;
  }
  let rewritten: unknown;
  if (multi) {
    rewritten = scopedMultiSearch(body, scope, refuse);
  } else if (typeof body === "object" && body !== null && !Array.isArray(body) && rule !== null) {
    const query = body as Record<string, unknown>;
    rewritten = { ...query, filter: andFilters(rule, query.filter) };
  }
  const next =
    rewritten === undefined ? bytes : new TextEncoder().encode(JSON.stringify(rewritten));
  const headers = new Headers(c.req.raw.headers);
  headers.set("content-length", String(next.byteLength));
  c.req.raw = new Request(c.req.url, { method, headers, body: next });
}

function scopedMultiSearch(body: unknown, scope: TenantScope, refuse: () => Error): unknown {
  if (typeof body !== "object" || body === null) return undefined;
  const queries = (body as { queries?: unknown }).queries;
  if (!Array.isArray(queries)) return undefined;
  return {
    ...body,
    queries: queries.map((query: unknown) => {
      if (typeof query !== "object" || query === null) return query;
      const { indexUid, filter } = query as { indexUid?: unknown; filter?: unknown };
      if (typeof indexUid !== "string") return query;
      if (!scope.allowsIndex(indexUid)) throw refuse();
      const rule = scope.searchFilter(indexUid);
      return rule === null ? query : { ...query, filter: andFilters(rule, filter) };
    }),
  };
}
