import type { Context } from "hono";
import { filterOfParam } from "../body/filter-param.js";
import { jsonText } from "../body/json-text.js";
import { readBodyBytes } from "../body/read-body.js";
import type { SearchFilter } from "./tenant-token.js";

/** What a tenant token's caller may search: the allowed indexes and each one's filter. */
export interface TenantScope {
  allowsIndex(indexUid: string): boolean;
  searchFilter(indexUid: string): SearchFilter | null;
}

const SEARCH_ROUTE = /^\/indexes\/([^/]+)\/(?:search|facet-search|similar)$/;

const conjuncts = (filter: unknown): unknown[] => (Array.isArray(filter) ? filter : [filter]);

/**
 * The rule and the client's filter fused as Meilisearch fuses them: one array whose
 * top-level elements are ANDed, the rule's elements first, then the client's. A client
 * string stays one element and is parsed on its own, so no text of the client's can
 * reach into the rule; a client array keeps its elements (each an AND term, an inner
 * array an OR of strings), which ANDs it with the rule unchanged. `undefined` means the
 * client sent no filter; any other value, even one that is no filter at all, becomes an
 * element for the node to judge, as it would be on one Meilisearch node.
 */
export function fuseFilters(rule: SearchFilter, client: unknown): unknown[] {
  return client === undefined ? [...conjuncts(rule)] : [...conjuncts(rule), ...conjuncts(client)];
}

function segment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Makes a tenant token's `searchRules` part of the request itself before any route runs,
 * so no read route can forget it: every search on an index gets the rule fused with its
 * own filter (`fuseFilters`): in the JSON body of a POST search, facet search or similar,
 * in the `filter` query of a GET search or similar (written in the JSON array form, which
 * GET routes read as Meilisearch does), and in each query of a multi-search, whose
 * queries on indexes the token does not allow are refused through `refuse`. A search
 * request of any other shape is refused too. Bodies that are not JSON objects are left for
 * the route to reject as it would any other.
 */
export async function applyTenantRules(
  c: Context,
  scope: TenantScope,
  limitBytes: number,
  refuse: () => Error,
): Promise<void> {
  const method = c.req.method;
  if (c.req.path === "/multi-search" && method === "POST") {
    await rewriteJsonBody(c, limitBytes, (body) => scopedMultiSearch(body, scope, refuse));
    return;
  }
  const match = SEARCH_ROUTE.exec(c.req.path);
  if (match === null || (method !== "GET" && method !== "POST")) throw refuse();
  const rule = scope.searchFilter(segment(match[1] as string));
  if (rule === null) return;
  if (method === "GET") {
    const url = new URL(c.req.url);
    const client = url.searchParams.get("filter");
    const fused = fuseFilters(rule, client === null ? undefined : filterOfParam(client));
    url.searchParams.set("filter", JSON.stringify(fused));
    c.req.raw = new Request(url, c.req.raw);
    return;
  }
  await rewriteJsonBody(c, limitBytes, (body) => searchBodyUnderRule(rule, body));
}

/**
 * A POST search body (search, facet search, similar) with the rule fused into its filter;
 * undefined when the body is not a JSON object (the route rejects it as any other).
 */
function searchBodyUnderRule(rule: SearchFilter, body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const query = body as Record<string, unknown>;
  // A `null` filter is no filter on Meilisearch's POST routes.
  return { ...query, filter: fuseFilters(rule, query.filter ?? undefined) };
}

/**
 * Puts the JSON body back as `rewrite` returns it, or unchanged when the body does not
 * parse or `rewrite` returns undefined (the route then rejects it as it would any other).
 */
async function rewriteJsonBody(
  c: Context,
  limitBytes: number,
  rewrite: (body: unknown) => unknown,
): Promise<void> {
  const next = rewrittenJsonBytes(await readBodyBytes(c, limitBytes), rewrite);
  const headers = new Headers(c.req.raw.headers);
  headers.set("content-length", String(next.byteLength));
  c.req.raw = new Request(c.req.url, { method: c.req.method, headers, body: next });
}

/**
 * The body's bytes with its JSON as `rewrite` returns it, or unchanged when the body does
 * not parse or `rewrite` returns undefined.
 */
function rewrittenJsonBytes(bytes: Uint8Array, rewrite: (body: unknown) => unknown): Uint8Array {
  const decoded = jsonText(bytes);
  let body: unknown;
  try {
    body = "text" in decoded ? JSON.parse(decoded.text) : undefined;
  } catch {
    body = undefined;
  }
  const rewritten = body === undefined ? undefined : rewrite(body);
  return rewritten === undefined ? bytes : new TextEncoder().encode(JSON.stringify(rewritten));
}

/**
 * What `applyTenantRules` makes of a POST search's body (search, facet search, similar)
 * under a tenant token's rule for its index: the rule fused into its filter.
 */
export function tenantSearchBytes(rule: SearchFilter, bytes: Uint8Array): Uint8Array {
  return rewrittenJsonBytes(bytes, (body) => searchBodyUnderRule(rule, body));
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
      return rule === null ? query : { ...query, filter: fuseFilters(rule, filter ?? undefined) };
    }),
  };
}
