import { meiliError } from "@miroir/errors";
import { anyPatternCovers, filterablePatterns } from "./attribute-pattern.js";
import type { Document } from "./document.js";
import { leafAttributes, valuesAt } from "./document-path.js";
import { normalizeFacet } from "./filter-match.js";
import type { Settings } from "./settings.js";

export type FacetDistribution = Record<string, Record<string, number>>;
export type FacetStats = Record<string, { min: number; max: number }>;

/** One facet value with how many documents carry it, before ordering and truncation. */
export interface FacetCount {
  /** The value as answered: a number written as Meilisearch writes it, or the first-seen string. */
  value: string;
  count: number;
  numeric: number | undefined;
  normalized: string;
}

/**
 * Validates `facets` against the filterable attributes and expands patterns such as `*`;
 * `indexUid` prefixes the error as a search names the index it failed on.
 */
export function facetAttributes(
  facets: readonly string[],
  settings: Settings,
  documents: Iterable<Document>,
  indexUid?: string,
): string[] {
  const patterns = filterablePatterns(settings.filterableAttributes);
  const attributes = new Set<string>();
  const refused = new Set<string>();
  let present: Set<string> | undefined;
  for (const facet of facets) {
    if (facet.includes("*")) {
      present ??= presentAttributes(documents);
      for (const attribute of present) {
        if (anyPatternCovers([facet], attribute) && anyPatternCovers(patterns, attribute)) {
          attributes.add(attribute);
        }
      }
    } else if (anyPatternCovers(patterns, facet)) {
      attributes.add(facet);
    } else {
      refused.add(facet);
    }
  }
  if (refused.size > 0) throw notFilterable([...refused].sort(), patterns, indexUid);
  return [...attributes];
}

function presentAttributes(documents: Iterable<Document>): Set<string> {
  const present = new Set<string>();
  for (const doc of documents) {
    for (const [path] of leafAttributes(doc)) {
      present.add(path);
      let dot = path.lastIndexOf(".");
      while (dot !== -1) {
        present.add(path.slice(0, dot));
        dot = path.lastIndexOf(".", dot - 1);
      }
    }
  }
  return present;
}

function notFilterable(facets: readonly string[], patterns: readonly string[], indexUid?: string) {
  const prefix = indexUid === undefined ? "" : `Index \`${indexUid}\`: `;
  const what =
    facets.length === 1
      ? `Attribute \`${facets[0]}\` is not filterable.`
      : `Attributes \`${facets.join(", ")}\` are not filterable.`;
  const available =
    patterns.length === 0
      ? "This index does not have configured filterable attributes."
      : `Available filterable attributes patterns are: \`${[...new Set(patterns)].sort().join(", ")}\`.`;
  return meiliError(
    "invalid_search_facets",
    `${prefix}Invalid facet distribution: ${what} ${available}`,
  );
}

/** Counts each distinct value of `attribute` once per document. */
export function countFacetValues(documents: Iterable<Document>, attribute: string): FacetCount[] {
  const counts = new Map<string, FacetCount>();
  for (const doc of documents) {
    const seen = new Set<string>();
    for (const value of valuesAt(doc, attribute)) {
      const key = facetKey(value);
      if (key === undefined || seen.has(key.id)) continue;
      seen.add(key.id);
      const existing = counts.get(key.id);
      if (existing === undefined) counts.set(key.id, { ...key.count, count: 1 });
      else existing.count++;
    }
  }
  return [...counts.values()];
}

function facetKey(value: unknown): { id: string; count: Omit<FacetCount, "count"> } | undefined {
  if (typeof value === "number" && Number.isFinite(value)) {
    const text = String(value);
    return { id: `n:${text}`, count: { value: text, numeric: value, normalized: text } };
  }
  if (typeof value === "string" || typeof value === "boolean") {
    const normalized = normalizeFacet(String(value));
    return {
      id: `s:${normalized}`,
      count: { value: String(value), numeric: undefined, normalized },
    };
  }
  return undefined;
}

/** Orders facet values by the index's `sortFacetValuesBy` for that attribute and truncates. */
export function orderFacetValues(
  values: FacetCount[],
  attribute: string,
  settings: Settings,
): FacetCount[] {
  const by = settings.faceting.sortFacetValuesBy;
  const order = by[attribute] ?? by["*"] ?? "alpha";
  const sorted = [...values].sort(compareAlpha);
  if (order === "count") sorted.sort((a, b) => b.count - a.count);
  return sorted.slice(0, settings.faceting.maxValuesPerFacet);
}

/** Numbers first in numeric order, then strings in byte order of their normalised form. */
function compareAlpha(a: FacetCount, b: FacetCount): number {
  if (a.numeric !== undefined && b.numeric !== undefined) return a.numeric - b.numeric;
  if (a.numeric !== undefined) return -1;
  if (b.numeric !== undefined) return 1;
  return a.normalized < b.normalized ? -1 : a.normalized > b.normalized ? 1 : 0;
}

/** `facetDistribution` and `facetStats` of a search over its candidates. */
export function facetAnswer(
  documents: readonly Document[],
  attributes: readonly string[],
  settings: Settings,
): { facetDistribution: FacetDistribution; facetStats: FacetStats } {
  const facetDistribution: FacetDistribution = {};
  const facetStats: FacetStats = {};
  for (const attribute of attributes) {
    const values = countFacetValues(documents, attribute);
    const distribution: Record<string, number> = {};
    for (const value of orderFacetValues(values, attribute, settings)) {
      distribution[value.value] = value.count;
    }
    facetDistribution[attribute] = distribution;
    const numbers = values.flatMap((value) => (value.numeric === undefined ? [] : [value.numeric]));
    if (numbers.length > 0) {
      facetStats[attribute] = { min: Math.min(...numbers), max: Math.max(...numbers) };
    }
  }
  return { facetDistribution, facetStats };
}
