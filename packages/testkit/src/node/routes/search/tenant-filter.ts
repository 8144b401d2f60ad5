import type { SearchFilter } from "../../auth/tenant-token.js";

const conjuncts = (filter: unknown): unknown[] => (Array.isArray(filter) ? filter : [filter]);

/**
 * A tenant token's rule fused with the query's filter as Meilisearch fuses them: one array
 * whose top-level elements are ANDed, the rule's first. A client string is one element,
 * parsed on its own, so its text never reaches the rule. `undefined` is no client filter;
 * any other value becomes an element, for the filter parser to refuse when it is none.
 */
export function fuseFilters(rule: SearchFilter, query: unknown): unknown[] {
  return query === undefined ? [...conjuncts(rule)] : [...conjuncts(rule), ...conjuncts(query)];
}

/** A search body with the rule's filter applied (a `null` filter is none), untouched when there is no rule. */
export function withRuleFilter(raw: unknown, rule: SearchFilter | null): unknown {
  if (rule === null || typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  const body = raw as Record<string, unknown>;
  return { ...body, filter: fuseFilters(rule, body.filter ?? undefined) };
}

/**
 * A GET query string with the rule's filter applied: the client's `filter` read as
 * Meilisearch reads it (JSON when it parses, else text), fused with the rule and written
 * back in the JSON array form.
 */
export function withRuleFilterParam(params: URLSearchParams, rule: SearchFilter | null): void {
  if (rule === null) return;
  const text = params.get("filter");
  let client: unknown;
  if (text !== null) {
    try {
      client = JSON.parse(text);
    } catch {
      client = text;
    }
  }
  params.set("filter", JSON.stringify(fuseFilters(rule, client)));
}
