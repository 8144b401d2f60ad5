import type { Settings } from "./settings.js";
import { endsInsideWord, normalizeText, tokenize } from "./text.js";
import { typoCost } from "./typo-distance.js";
import { vocabularySize, wordOf } from "./vocabulary.js";

const UNKNOWN = -2;
const NO_MATCH = -1;

/** One word of the query, with how it may match a document word. */
export interface QueryTerm {
  text: string;
  /** Index of the term in the query, for the word-position rule. */
  index: number;
  prefix: boolean;
  maxTypos: number;
  synonyms: ReadonlySet<string>;
}

/** How a document word matches each term: `typos[i]` is -1 when it does not match term i. */
export interface WordMatch {
  typos: number[];
  exact: boolean[];
}

const MAX_QUERY_WORDS = 10;

/** The terms of `q` under the index settings (stop words dropped, at most 10 words). */
export function queryTerms(q: string, settings: Settings): QueryTerm[] {
  const stopWords = new Set(settings.stopWords.map(normalizeText));
  const words = tokenize(q).map((token) => token.word);
  const kept = words.filter((word) => !stopWords.has(word));
  const chosen = (kept.length > 0 ? kept : words).slice(0, MAX_QUERY_WORDS);
  const prefixLast = endsInsideWord(q) && settings.prefixSearch !== "disabled";
  const synonyms = synonymTable(settings.synonyms);
  return chosen.map((text, index) => ({
    text,
    index,
    prefix: prefixLast && index === chosen.length - 1,
    maxTypos: allowedTypos(text, settings),
    synonyms: synonyms.get(text) ?? new Set(),
  }));
}

function allowedTypos(word: string, settings: Settings): number {
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

function termCost(term: QueryTerm, word: string): number {
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
