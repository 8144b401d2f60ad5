import type { Settings } from "./settings.js";
import { endsInsideWord, normalizeText, tokenize } from "./text.js";
import { typoCost } from "./typo-distance.js";
import { vocabularySize, wordId, wordOf } from "./vocabulary.js";

const UNKNOWN = -2;
const NO_MATCH = -1;

/** One word (or quoted phrase) of the query, with how it may match a document word. */
export interface QueryTerm {
  text: string;
  /** Index of the term in the query, for the word-position rule. */
  index: number;
  prefix: boolean;
  maxTypos: number;
  synonyms: ReadonlySet<string>;
  /** For a quoted phrase: its word ids, to be found consecutively, without typos. */
  phrase?: readonly number[];
}

/** How a document word matches each term: `typos[i]` is -1 when it does not match term i. */
export interface WordMatch {
  typos: number[];
  exact: boolean[];
}

/** The query: its terms, and the word sequences a `-word` or `-"a phrase"` excludes. */
export interface ParsedQuery {
  terms: QueryTerm[];
  excluded: number[][];
}

const MAX_QUERY_WORDS = 10;

interface QueryPart {
  words: string[];
  quoted: boolean;
  negated: boolean;
}

/**
 * The terms of `q` under the index settings: words and quoted phrases in order, stop
 * words dropped, at most 10 terms, the last word a prefix while it is being typed;
 * `-word` and `-"phrase"` exclude documents instead.
 */
export function parseQuery(q: string, settings: Settings): ParsedQuery {
  const parts = queryParts(q);
  const excluded = parts
    .filter((part) => part.negated && part.words.length > 0)
    .map((part) => part.words.map(wordId));
  const positive = parts.filter((part) => !part.negated && part.words.length > 0);
  const stopWords = new Set(settings.stopWords.map(normalizeText));
  const kept = positive.filter((part) => part.quoted || !stopWords.has(part.words[0] as string));
  const chosen = (kept.length > 0 ? kept : positive).slice(0, MAX_QUERY_WORDS);
  const last = chosen.at(-1);
  const prefixLast =
    last !== undefined && !last.quoted && endsInsideWord(q) && settings.prefixSearch !== "disabled";
  const synonyms = synonymTable(settings.synonyms);
  const terms = chosen.map((part, index): QueryTerm => {
    const text = part.words.join(" ");
    if (part.quoted && part.words.length > 1) {
      return {
        text,
        index,
        prefix: false,
        maxTypos: 0,
        synonyms: new Set(),
        phrase: part.words.map(wordId),
      };
    }
    return {
      text,
      index,
      prefix: prefixLast && index === chosen.length - 1,
      maxTypos: part.quoted ? 0 : allowedTypos(text, settings),
      synonyms: part.quoted ? new Set() : (synonyms.get(text) ?? new Set()),
    };
  });
  return { terms, excluded };
}

function queryParts(q: string): QueryPart[] {
  const parts: QueryPart[] = [];
  let at = 0;
  while (at < q.length) {
    const quote = q.indexOf('"', at);
    const plainEnd = quote === -1 ? q.length : quote;
    let plain = q.slice(at, plainEnd);
    let negatedPhrase = false;
    if (quote !== -1 && plain.endsWith("-") && /(^|\s)-$/.test(plain)) {
      negatedPhrase = true;
      plain = plain.slice(0, -1);
    }
    for (const chunk of plain.split(/\s+/)) {
      if (chunk.length > 1 && chunk.startsWith("-")) {
        const words = tokenize(chunk.slice(1)).map((token) => token.word);
        parts.push({ words, quoted: false, negated: true });
      } else {
        for (const token of tokenize(chunk))
          parts.push({ words: [token.word], quoted: false, negated: false });
      }
    }
    if (quote === -1) break;
    const close = q.indexOf('"', quote + 1);
    const end = close === -1 ? q.length : close;
    parts.push({
      words: tokenize(q.slice(quote + 1, end)).map((token) => token.word),
      quoted: true,
      negated: negatedPhrase,
    });
    at = end + 1;
  }
  return parts;
}

/** Typos a query word may carry under the typo-tolerance settings. */
export function allowedTypos(word: string, settings: Settings): number {
  const tolerance = settings.typoTolerance;
  if (!tolerance.enabled) return 0;
  if (tolerance.disableOnWords.some((disabled) => normalizeText(disabled) === word)) return 0;
  if (tolerance.disableOnNumbers && /^\p{N}+$/u.test(word)) return 0;
  const length = Array.from(word).length;
  if (length < tolerance.minWordSizeForTypos.oneTypo) return 0;
  if (length < tolerance.minWordSizeForTypos.twoTypos) return 1;
  return 2;
}

/** Single-word synonyms, normalised; multi-word alternatives are not expanded. */
function synonymTable(synonyms: Record<string, string[]>): Map<string, Set<string>> {
  const table = new Map<string, Set<string>>();
  for (const [word, alternatives] of Object.entries(synonyms)) {
    const key = normalizeText(word).trim();
    const set = table.get(key) ?? new Set<string>();
    for (const alternative of alternatives) {
      const tokens = tokenize(alternative);
      if (tokens.length === 1) set.add((tokens[0] as { word: string }).word);
    }
    table.set(key, set);
  }
  return table;
}

/** A memo of how each distinct document word matches the query, built lazily per search. */
export class WordMatcher {
  /** Per word id: UNKNOWN, NO_MATCH, or the index of its match in `matches`. */
  private memo = new Int32Array(vocabularySize() + 1024).fill(UNKNOWN);
  private readonly matches: WordMatch[] = [];

  constructor(readonly terms: readonly QueryTerm[]) {}

  match(id: number): WordMatch | null {
    if (id >= this.memo.length) this.grow(id);
    let slot = this.memo[id] as number;
    if (slot === UNKNOWN) {
      const found = this.compute(wordOf(id));
      slot = found === null ? NO_MATCH : this.matches.push(found) - 1;
      this.memo[id] = slot;
    }
    return slot === NO_MATCH ? null : (this.matches[slot] as WordMatch);
  }

  private grow(id: number): void {
    const memo = new Int32Array(Math.max(id + 1, this.memo.length * 2)).fill(UNKNOWN);
    memo.set(this.memo);
    this.memo = memo;
  }

  private compute(word: string): WordMatch | null {
    const typos: number[] = [];
    const exact: boolean[] = [];
    let any = false;
    for (const term of this.terms) {
      const cost = termCost(term, word);
      typos.push(cost);
      exact.push(cost === 0 && (word === term.text || term.synonyms.has(word)));
      if (cost >= 0) any = true;
    }
    return any ? { typos, exact } : null;
  }
}

/** Typos needed to read `word` as `term` (prefix included), -1 when it does not match. */
export function termCost(term: QueryTerm, word: string): number {
  if (term.phrase !== undefined) return -1;
  if (word === term.text || term.synonyms.has(word)) return 0;
  if (term.prefix && word.startsWith(term.text)) return 0;
  if (term.maxTypos === 0) return -1;
  let best = typoCost(term.text, word, term.maxTypos);
  if (term.prefix) {
    const letters = Array.from(word);
    const length = Array.from(term.text).length;
    for (let cut = length - term.maxTypos; cut <= length + term.maxTypos; cut++) {
      if (cut < 1 || cut >= letters.length) continue;
      best = Math.min(best, typoCost(term.text, letters.slice(0, cut).join(""), term.maxTypos));
    }
  }
  return Number.isFinite(best) ? best : -1;
}
