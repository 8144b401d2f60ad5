import type { FacetValueOrder, MergeSettings } from "./types.js";

/**
 * What one scan of a string's code units tells about its normalised form: printable ASCII
 * with no capital and no space at either end is its own normalised form; other printable
 * ASCII only needs the trim and the case; anything else may decompose.
 */
export const NORMALISED = 0;
const PRINTABLE = 1;
const OTHER = 2;
type AsciiForm = typeof NORMALISED | typeof PRINTABLE | typeof OTHER;

export function asciiForm(value: string): AsciiForm {
  const length = value.length;
  let capital = false;
  for (let at = 0; at < length; at++) {
    const unit = value.charCodeAt(at);
    if (unit < 0x20 || unit > 0x7e) return OTHER;
    if (unit >= 65 && unit <= 90) capital = true;
  }
  if (capital) return PRINTABLE;
  if (length > 0 && (value.charCodeAt(0) === 32 || value.charCodeAt(length - 1) === 32)) {
    return PRINTABLE;
  }
  return NORMALISED;
}

/**
 * Meilisearch groups facet strings by their normalised form (trimmed, compatibility
 * decomposed, lower-cased), so the same value spelled differently on two shards is one value.
 */
export function normalisedFacetValue(value: string): string {
  const form = asciiForm(value);
  // Most values already are their normalised form: returned as they are, no new string.
  if (form === NORMALISED) return value;
  // Printable ASCII has no decomposition: only the trim and the case remain.
  if (form === PRINTABLE) return value.trim().toLowerCase();
  return value.trim().normalize("NFKD").toLowerCase();
}

const NUMERIC = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Below this many candidates a node reads the facet values of each candidate and orders
 * numbers by their written form ("10" before "9.9"); above it, it walks its facet tree,
 * where numbers are in numeric order. Meilisearch's `LINEAR_SCAN_CANDIDATES_THRESHOLD`.
 */
export const LINEAR_SCAN_CANDIDATES = 3000;

/** A facet value with its count and the keys its order needs, computed once. */
export interface CountedFacetValue {
  value: string;
  count: number;
  /** For a string, its normalised form; for a number, its written form. */
  normalised: string;
  /** The number a numeric facet value stands for; NaN for strings. */
  number: number;
  /** No surrogate in `normalised`: its code units order it as its code points do. */
  plain: boolean;
}

/** Whether `value` can be a number at all: it starts with a digit, "-" or ".". */
export function mayBeNumeric(value: string): boolean {
  const first = value.charCodeAt(0);
  return (first >= 48 && first <= 57) || first === 45 || first === 46;
}

export function countedFacetValue(value: string, count: number): CountedFacetValue {
  if (mayBeNumeric(value) && NUMERIC.test(value)) {
    // A number's written form is ASCII: plain.
    return { value, count, normalised: value, number: Number(value), plain: true };
  }
  const form = asciiForm(value);
  if (form === NORMALISED) {
    return { value, count, normalised: value, number: Number.NaN, plain: true };
  }
  if (form === PRINTABLE) {
    const normalised = value.trim().toLowerCase();
    return { value, count, normalised, number: Number.NaN, plain: true };
  }
  const normalised = value.trim().normalize("NFKD").toLowerCase();
  return { value, count, normalised, number: Number.NaN, plain: !SURROGATE.test(normalised) };
}

const SURROGATE = /[\ud800-\udfff]/;

/** Code-point order of two normalised values, by their code units when both are plain. */
export function compareNormalised(a: CountedFacetValue, b: CountedFacetValue): number {
  if (a.plain && b.plain) {
    return a.normalised < b.normalised ? -1 : a.normalised > b.normalised ? 1 : 0;
  }
  return compareBytes(a.normalised, b.normalised);
}

/**
 * Byte order of UTF-8, which is code-point order. Up to the first code unit that differs,
 * both strings are the same; when neither differing unit is part of a surrogate pair (or
 * above one), the code units order them as their code points do.
 */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let at = 0; at < length; at++) {
    const x = a.charCodeAt(at);
    const y = b.charCodeAt(at);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    return compareCodePointsFrom(a, b);
  }
  return a.length - b.length;
}

function compareCodePointsFrom(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let at = 0; at < length; at++) {
    const x = a.codePointAt(at) as number;
    const y = b.codePointAt(at) as number;
    if (x !== y) return x - y;
    if (x > 0xffff) at++;
  }
  return a.length - b.length;
}

/** The order configured for one facet: its own entry, else `*`, else alpha. */
export function facetValueOrderOf(settings: MergeSettings, facet: string): FacetValueOrder {
  const orders = settings.faceting.sortFacetValuesBy;
  return orders[facet] ?? orders["*"] ?? "alpha";
}

/**
 * The values of one facet a Meilisearch node holding every value shows, in its order, from
 * the complete counts of `values` over `candidates` documents. A node lists the numbers
 * first, then the strings:
 * - alphabetical over at most `LINEAR_SCAN_CANDIDATES` candidates: numbers by their written
 *   form, strings by their normalised form, `maxValues` in all;
 * - otherwise (and always in count order) it walks its facet tree, numbers in numeric
 *   order (or by count, the larger value first among equal counts), stopping when it holds
 *   exactly `maxValues` values, then strings likewise. A stop that only tests for equality
 *   never fires once the numbers alone reached `maxValues`: every string follows them.
 */
export function nodeFacetValues(
  values: readonly CountedFacetValue[],
  order: FacetValueOrder,
  maxValues: number,
  candidates: number,
): CountedFacetValue[] {
  const numbers: CountedFacetValue[] = [];
  const strings: CountedFacetValue[] = [];
  for (const value of values) (Number.isNaN(value.number) ? strings : numbers).push(value);
  if (order === "alpha" && candidates <= LINEAR_SCAN_CANDIDATES) {
    // A number's written form is ASCII: its code units are its bytes.
    numbers.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    strings.sort(compareNormalised);
    const keptNumbers = numbers.slice(0, maxValues);
    return [...keptNumbers, ...strings.slice(0, Math.max(0, maxValues - keptNumbers.length))];
  }
  if (order === "alpha") {
    numbers.sort((a, b) => a.number - b.number);
    strings.sort(compareNormalised);
  } else {
    numbers.sort((a, b) => b.count - a.count || b.number - a.number);
    strings.sort((a, b) => b.count - a.count || compareNormalised(b, a));
  }
  const keptNumbers = maxValues === 0 ? numbers : numbers.slice(0, maxValues);
  const room = maxValues - keptNumbers.length;
  return [...keptNumbers, ...(room > 0 ? strings.slice(0, room) : strings)];
}
