import type { FilterArray } from "../../../engine/index.js";
import type { SearchFilter } from "../../auth/tenant-token.js";

function conjuncts(filter: SearchFilter): FilterArray {
  return typeof filter === "string" ? [filter] : filter;
}

/** The query's filter ANDed with a tenant token's rule filter, in the array form. */
export function andFilters(rule: SearchFilter, query: unknown): unknown {
  if (query === undefined || query === null) return conjuncts(rule);
  if (typeof query !== "string" && !Array.isArray(query)) return query;
  return [...conjuncts(rule), ...conjuncts(query as SearchFilter)];
}

/** The same conjunction written as one filter string, for `GET /search`. */
export function andFilterStrings(rule: SearchFilter, query: string | undefined): string {
  const parts = conjuncts(rule).map((part) =>
    typeof part === "string"
      ? `(${part})`
      : `(${(part as unknown[]).map((alternative) => `(${String(alternative)})`).join(" OR ")})`,
  );
  return query === undefined ? parts.join(" AND ") : [...parts, `(${query})`].join(" AND ");
}

/** A search body with the rule's filter applied, untouched when there is no rule. */
export function withRuleFilter(raw: unknown, rule: SearchFilter | null): unknown {
  if (rule === null || typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  const body = raw as Record<string, unknown>;
  return { ...body, filter: andFilters(rule, body.filter) };
}
