import { anyPatternCovers } from "./attribute-pattern.js";
import type { Document } from "./document.js";
import type { QueryTerm, WordMatcher } from "./query-terms.js";
import type { SearchQuery } from "./search-query.js";
import { selectFields } from "./select-fields.js";
import { normalizeText } from "./text.js";
import { wordId } from "./vocabulary.js";

/** One match of `_matchesPosition`: offsets in characters, `indices` inside arrays. */
export interface MatchPosition {
  start: number;
  length: number;
  indices?: number[];
}

interface WordSpan {
  start: number;
  end: number;
  /** How many characters of the word the query matched (a prefix match marks only the prefix). */
  matched: number;
}

interface FormatRules {
  highlight: readonly string[];
  crop: ReadonlyArray<{ pattern: string; length: number }>;
  preTag: string;
  postTag: string;
  cropMarker: string;
}

const DEFAULT_CROP_LENGTH = 10;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** Whether the query asks for `_formatted` or `_matchesPosition` at all. */
export function wantsFormatting(query: SearchQuery): boolean {
  return (
    query.attributesToHighlight !== undefined ||
    query.attributesToCrop !== undefined ||
    query.showMatchesPosition === true
  );
}

/**
 * `_formatted` (highlighted and cropped values, numbers written as strings, over the
 * retrieved, highlighted and cropped attributes that are displayed) and `_matchesPosition`.
 */
export function formatMatches(
  doc: Document,
  query: SearchQuery,
  displayed: readonly string[],
  terms: readonly QueryTerm[],
  matcher: WordMatcher,
): { formatted?: Document; matchesPosition?: Record<string, MatchPosition[]> } {
  const rules = formatRules(query);
  const fields =
    query.attributesToRetrieve === undefined
      ? undefined
      : [
          ...query.attributesToRetrieve,
          ...rules.highlight,
          ...rules.crop.map((crop) => crop.pattern),
        ];
  const source = selectFields(doc, fields, displayed);
  const positions: Record<string, MatchPosition[]> = {};
  const spansOf = (text: string) => wordSpans(text, terms, matcher);
  const formatted = formatValue(source, "", undefined, rules, spansOf, positions) as Document;
  const answer: { formatted?: Document; matchesPosition?: Record<string, MatchPosition[]> } = {};
  if (query.attributesToHighlight !== undefined || query.attributesToCrop !== undefined) {
    answer.formatted = formatted;
  }
  if (query.showMatchesPosition === true) answer.matchesPosition = positions;
  return answer;
}

function formatRules(query: SearchQuery): FormatRules {
  const length = query.cropLength ?? DEFAULT_CROP_LENGTH;
  return {
    highlight: query.attributesToHighlight ?? [],
    crop: (query.attributesToCrop ?? []).map((entry) => {
      const colon = entry.lastIndexOf(":");
      const own = colon === -1 ? Number.NaN : Number(entry.slice(colon + 1));
      return Number.isInteger(own) && own >= 0
        ? { pattern: entry.slice(0, colon), length: own }
        : { pattern: entry, length };
    }),
    preTag: query.highlightPreTag ?? "<em>",
    postTag: query.highlightPostTag ?? "</em>",
    cropMarker: query.cropMarker ?? "…",
  };
}

function formatValue(
  value: unknown,
  path: string,
  indices: number[] | undefined,
  rules: FormatRules,
  spansOf: (text: string) => WordSpan[],
  positions: Record<string, MatchPosition[]>,
): unknown {
  if (Array.isArray(value)) {
    return value.map((item, index) =>
      formatValue(item, path, [...(indices ?? []), index], rules, spansOf, positions),
    );
  }
  if (typeof value === "object" && value !== null) {
    const formatted: Document = {};
    for (const [key, inner] of Object.entries(value)) {
      const innerPath = path === "" ? key : `${path}.${key}`;
      formatted[key] = formatValue(inner, innerPath, indices, rules, spansOf, positions);
    }
    return formatted;
  }
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
    return value;
  }
  const text = String(value);
  const spans = spansOf(text);
  for (const span of spans) {
    if (span.matched === 0) continue;
    const list = positions[path] ?? [];
    positions[path] = list;
    list.push({
      start: span.start,
      length: span.matched,
      ...(indices === undefined ? {} : { indices }),
    });
  }
  const crop = rules.crop.find((rule) => anyPatternCovers([rule.pattern], path));
  const highlight = anyPatternCovers(rules.highlight, path);
  return render(text, spans, highlight, crop?.length, rules);
}

function wordSpans(text: string, terms: readonly QueryTerm[], matcher: WordMatcher): WordSpan[] {
  const spans: WordSpan[] = [];
  for (const found of text.matchAll(WORD)) {
    const word = normalizeText(found[0]);
    const id = wordId(word);
    const match = terms.length === 0 ? null : matcher.match(id);
    let matched = terms.some((term) => term.phrase?.includes(id) === true) ? found[0].length : 0;
    if (match !== null) {
      matched = found[0].length;
      terms.forEach((term, i) => {
        const typos = match.typos[i] as number;
        const prefixOnly =
          typos === 0 && term.prefix && word !== term.text && word.startsWith(term.text);
        if (typos >= 0 && prefixOnly) matched = Math.min(matched, Array.from(term.text).length);
      });
    }
    spans.push({ start: found.index, end: found.index + found[0].length, matched });
  }
  return spans;
}

function render(
  text: string,
  spans: readonly WordSpan[],
  highlight: boolean,
  cropLength: number | undefined,
  rules: FormatRules,
): string {
  let first = 0;
  let last = spans.length;
  if (cropLength !== undefined && spans.length > cropLength) {
    const firstMatch = spans.findIndex((span) => span.matched > 0);
    const centre = firstMatch === -1 ? 0 : firstMatch - Math.floor((cropLength - 1) / 2);
    first = Math.max(0, Math.min(centre, spans.length - cropLength));
    last = first + cropLength;
  }
  const cropped = cropLength !== undefined && (first > 0 || last < spans.length);
  const from = cropped ? (spans[first]?.start ?? 0) : 0;
  const to = cropped ? (spans[last - 1]?.end ?? text.length) : text.length;
  let out = cropped && first > 0 ? rules.cropMarker : "";
  let at = from;
  for (const span of spans.slice(first, last)) {
    if (!highlight || span.matched === 0) continue;
    out += text.slice(at, span.start);
    out += rules.preTag + text.slice(span.start, span.start + span.matched) + rules.postTag;
    at = span.start + span.matched;
  }
  out += text.slice(at, to);
  if (cropped && last < spans.length) out += rules.cropMarker;
  return out;
}
