import type { AttributeText } from "./document-text.js";
import type { QueryTerm, WordMatcher } from "./query-terms.js";

/** How one attribute takes part in a search: its weight (0 ranks best) and whether typos are allowed. */
export interface SearchedAttribute {
  weight: number;
  typoTolerant: boolean;
}

/** The part an attribute takes in a search, `undefined` when it is not searched. */
export type AttributePolicy = (text: AttributeText) => SearchedAttribute | undefined;

/** Everything the relevance rules need to know about one matching document: counts and graph costs. */
export interface Relevance {
  matchingWords: number;
  maxMatchingWords: number;
  typoCount: number;
  maxTypoCount: number;
  proximityCost: number;
  maxProximityCost: number;
  attributeCost: number;
  maxAttributeCost: number;
  positionCost: number;
  maxPositionCost: number;
  exactness: "exactMatch" | "matchesStart" | "noExactMatch";
  exactWords: number;
}

export interface RelevanceOptions {
  terms: readonly QueryTerm[];
  matcher: WordMatcher;
  policy: AttributePolicy;
  maxWeight: number;
  strategy: "last" | "all" | "frequency";
  proximityByAttribute: boolean;
  hasPhrases: boolean;
  scratch: RelevanceScratch;
}

/** Buffers reused from one document to the next, so measuring allocates almost nothing. */
export interface RelevanceScratch {
  minTypos: Int32Array;
  minWeight: Int32Array;
  minPositionCost: Int32Array;
  exact: Uint8Array;
  positions: number[][];
  positionCounts: Int32Array;
  searched: AttributeText[];
}

export function relevanceScratch(termCount: number): RelevanceScratch {
  return {
    minTypos: new Int32Array(termCount),
    minWeight: new Int32Array(termCount),
    minPositionCost: new Int32Array(termCount),
    exact: new Uint8Array(termCount),
    positions: Array.from({ length: termCount }, () => []),
    positionCounts: new Int32Array(termCount),
    searched: [],
  };
}

const MAX_PROXIMITY_COST = 7;
const NOT_FOUND = 0x7fffffff;
const MAX_POSITION_COST = 10;
/** Positions of different attributes are kept apart by encoding `attribute * SPAN + position`. */
const ATTRIBUTE_SPAN = 1 << 20;

/**
 * Measures a document against the query terms. Only the document and the query take part
 * (no corpus statistics), so a score never changes when other documents come and go.
 * `undefined` when the document does not match under the matching strategy.
 */
export function measureRelevance(
  texts: readonly AttributeText[],
  options: RelevanceOptions,
): Relevance | undefined {
  const { terms, matcher, policy, scratch } = options;
  const n = terms.length;
  const { minTypos, minWeight, minPositionCost, exact, positionCounts, searched } = scratch;
  for (let i = 0; i < n; i++) {
    minTypos[i] = NOT_FOUND;
    exact[i] = 0;
    positionCounts[i] = 0;
  }
  let searchedCount = 0;
  for (const text of texts) {
    const attribute = policy(text);
    if (attribute === undefined) continue;
    const attributeIndex = searchedCount;
    searched[searchedCount++] = text;
    const { words, positions: wordPositions } = text;
    for (let t = 0; t < words.length; t++) {
      const match = matcher.match(words[t] as number);
      if (match === null) continue;
      const position = wordPositions[t] as number;
      for (let i = 0; i < n; i++) {
        const typos = match.typos[i] as number;
        if (typos < 0 || (typos > 0 && !attribute.typoTolerant)) continue;
        record(
          options,
          i,
          typos,
          match.exact[i] === true,
          attribute.weight,
          attributeIndex,
          position,
        );
      }
    }
    if (!options.hasPhrases) continue;
    for (let i = 0; i < n; i++) {
      const phrase = (terms[i] as QueryTerm).phrase;
      if (phrase === undefined) continue;
      for (let t = 0; t + phrase.length <= words.length; t++) {
        if (!sequenceAt(text, t, phrase)) continue;
        record(options, i, 0, true, attribute.weight, attributeIndex, wordPositions[t] as number);
      }
    }
  }
  let matching = 0;
  while (matching < n && minTypos[matching] !== NOT_FOUND) matching++;
  if (matching === 0 || (options.strategy === "all" && matching < n)) return undefined;

  let typoCount = 0;
  let maxTypoCount = 0;
  let fidCost = 0;
  let positionCost = 0;
  let exactWords = 0;
  for (let i = 0; i < matching; i++) {
    maxTypoCount += (terms[i] as QueryTerm).maxTypos;
    typoCount += minTypos[i] as number;
    fidCost += minWeight[i] as number;
    positionCost += minPositionCost[i] as number;
    exactWords += exact[i] as number;
  }
  let proximityCost = 0;
  if (n > 1) {
    for (let i = 0; i + 1 < matching; i++) {
      proximityCost += pairCost(scratch, i, options.proximityByAttribute);
    }
  }
  return {
    matchingWords: matching,
    maxMatchingWords: n,
    typoCount,
    maxTypoCount,
    proximityCost,
    maxProximityCost: MAX_PROXIMITY_COST * (matching - 1),
    attributeCost: fidCost,
    maxAttributeCost: options.maxWeight * matching,
    positionCost,
    maxPositionCost: MAX_POSITION_COST * matching,
    exactness: exactnessOf(searched, searchedCount, terms, matching, matcher),
    exactWords,
  };
}

/** Notes one occurrence of term `i`, keeping each rule's best value. */
function record(
  options: RelevanceOptions,
  i: number,
  typos: number,
  exact: boolean,
  weight: number,
  attributeIndex: number,
  position: number,
): void {
  const { minTypos, minWeight, minPositionCost, positions } = options.scratch;
  const positionCost = positionCostOf(Math.abs(position - (options.terms[i] as QueryTerm).index));
  if (minTypos[i] === NOT_FOUND) {
    minTypos[i] = typos;
    minWeight[i] = weight;
    minPositionCost[i] = positionCost;
  } else {
    if (typos < (minTypos[i] as number)) minTypos[i] = typos;
    if (weight < (minWeight[i] as number)) minWeight[i] = weight;
    if (positionCost < (minPositionCost[i] as number)) minPositionCost[i] = positionCost;
  }
  if (exact) options.scratch.exact[i] = 1;
  if (options.terms.length > 1) {
    const list = positions[i] as number[];
    const count = options.scratch.positionCounts[i] as number;
    list[count] = attributeIndex * ATTRIBUTE_SPAN + position;
    options.scratch.positionCounts[i] = count + 1;
  }
}

/** Whether the attribute holds `sequence` word after word from token `t`. */
export function sequenceAt(text: AttributeText, t: number, sequence: readonly number[]): boolean {
  const start = text.positions[t] as number;
  for (let k = 0; k < sequence.length; k++) {
    if (text.words[t + k] !== sequence[k] || text.positions[t + k] !== start + k) return false;
  }
  return true;
}

/** Whether a searched attribute holds one of the excluded words or phrases. */
export function holdsExcluded(
  texts: readonly AttributeText[],
  policy: AttributePolicy,
  excluded: readonly (readonly number[])[],
): boolean {
  for (const text of texts) {
    if (policy(text) === undefined) continue;
    for (const sequence of excluded) {
      for (let t = 0; t + sequence.length <= text.words.length; t++) {
        if (sequenceAt(text, t, sequence)) return true;
      }
    }
  }
  return false;
}

/** The cheapest proximity cost between occurrences of term `i` and term `i + 1`. */
function pairCost(scratch: RelevanceScratch, i: number, byAttribute: boolean): number {
  const left = scratch.positions[i] as number[];
  const right = scratch.positions[i + 1] as number[];
  const leftCount = scratch.positionCounts[i] as number;
  const rightCount = scratch.positionCounts[i + 1] as number;
  let best = MAX_PROXIMITY_COST;
  for (let l = 0; l < leftCount; l++) {
    const a = left[l] as number;
    const attribute = Math.floor(a / ATTRIBUTE_SPAN);
    for (let r = 0; r < rightCount; r++) {
      const b = right[r] as number;
      if (Math.floor(b / ATTRIBUTE_SPAN) !== attribute) continue;
      if (byAttribute) return 0;
      const distance = b - a;
      const proximity =
        distance > 0 ? distance : distance < 0 ? 1 - distance : MAX_PROXIMITY_COST + 1;
      if (proximity <= MAX_PROXIMITY_COST && proximity - 1 < best) {
        best = proximity - 1;
        if (best === 0) return 0;
      }
    }
  }
  return best;
}

function positionCostOf(distance: number): number {
  if (distance <= 1) return distance;
  if (distance <= 4) return 2;
  if (distance <= 7) return 3;
  if (distance <= 11) return 4;
  if (distance <= 16) return 5;
  if (distance <= 24) return 6;
  if (distance <= 64) return 7;
  if (distance <= 256) return 8;
  if (distance <= 1024) return 9;
  return MAX_POSITION_COST;
}

/** Whether one attribute is exactly the matched query terms, or starts with them. */
function exactnessOf(
  texts: readonly AttributeText[],
  count: number,
  terms: readonly QueryTerm[],
  matching: number,
  matcher: WordMatcher,
): Relevance["exactness"] {
  let startsWith = false;
  for (let a = 0; a < count; a++) {
    const text = texts[a] as AttributeText;
    let t = 0;
    let starts = true;
    for (let i = 0; i < matching && starts; i++) {
      const phrase = (terms[i] as QueryTerm).phrase;
      if (phrase !== undefined) {
        starts = t + phrase.length <= text.words.length && sequenceAt(text, t, phrase);
        t += phrase.length;
      } else {
        starts = t < text.words.length && matcher.match(text.words[t] as number)?.exact[i] === true;
        t += 1;
      }
    }
    if (!starts) continue;
    if (t === text.words.length) return "exactMatch";
    startsWith = true;
  }
  return startsWith ? "matchesStart" : "noExactMatch";
}
