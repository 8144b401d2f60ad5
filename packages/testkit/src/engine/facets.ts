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

/**
 * Below this many candidates Meilisearch reads the facet values of each candidate and
 * orders numbers by their written form ("10" before "9.9"); above it, it walks its facet
 * tree, where numbers are in numeric order (`LINEAR_SCAN_CANDIDATES_THRESHOLD`).
 */
const LINEAR_SCAN_CANDIDATES = 3000;

/**
 * The values Meilisearch shows for one facet over `candidates` documents, in its order:
 * numbers first, then strings. Alphabetically over few candidates: numbers by their written
 * form, strings by their normalised form, `maxValuesPerFacet` in all. Otherwise (always in
 * count order) it walks its facet tree — numbers in numeric order or by count (the larger
 * value first among equal counts), strings by normalised form or by count (the later form
 * first among equal counts) — and stops when it holds exactly `maxValuesPerFacet` values:
 * once the numbers alone reached it, that never happens again and every string follows.
 */
export function orderFacetValues(
  values: FacetCount[],
  attribute: string,
  settings: Settings,
  candidates = Number.POSITIVE_INFINITY,
): FacetCount[] {
  const by = settings.faceting.sortFacetValuesBy;
  const order = by[attribute] ?? by["*"] ?? "alpha";
  const max = settings.faceting.maxValuesPerFacet;
  const numbers = values.filter((value) => value.numeric !== undefined);
  const strings = values.filter((value) => value.numeric === undefined);
  if (order === "alpha" && candidates <= LINEAR_SCAN_CANDIDATES) {
    numbers.sort((a, b) => compareBytes(a.value, b.value));
    strings.sort((a, b) => compareBytes(a.normalized, b.normalized));
    const keptNumbers = numbers.slice(0, max);
    return [...keptNumbers, ...strings.slice(0, Math.max(0, max - keptNumbers.length))];
  }
  if (order === "alpha") {
    numbers.sort((a, b) => (a.numeric as number) - (b.numeric as number));
    strings.sort((a, b) => compareBytes(a.normalized, b.normalized));
  } else {
    numbers.sort((a, b) => b.count - a.count || (b.numeric as number) - (a.numeric as number));
    strings.sort((a, b) => b.count - a.count || compareBytes(b.normalized, a.normalized));
  }
  const keptNumbers = max === 0 ? numbers : numbers.slice(0, max);
  const room = max - keptNumbers.length;
  return [...keptNumbers, ...(room > 0 ? strings.slice(0, room) : strings)];
}

/** Byte order of UTF-8, which is code-point order. */
function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let at = 0; at < length; at++) {
    const x = a.codePointAt(at) as number;
    const y = b.codePointAt(at) as number;
    if (x !== y) return x - y;
    if (x > 0xffff) at++;
  }
  return a.length - b.length;
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
    for (const value of orderFacetValues(values, attribute, settings, documents.length)) {
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
