import type { AttributeText } from "./document-text.js";
import type { QueryTerm, WordMatcher } from "./query-terms.js";
import { type Rank, rankFromCost } from "./rank.js";

/** A searchable attribute of a document with its weight (0 ranks best). */
export interface WeightedAttribute {
  text: AttributeText;
  weight: number;
  typoTolerant: boolean;
}

interface Occurrence {
  attribute: number;
  weight: number;
  position: number;
  typos: number;
  exact: boolean;
}

/** Everything the relevance rules need to know about one matching document. */
export interface Relevance {
  matchingWords: number;
  maxMatchingWords: number;
  typoCount: number;
  maxTypoCount: number;
  proximity: Rank;
  attributeRank: Rank;
  wordPosition: Rank;
  exactness: "exactMatch" | "matchesStart" | "noExactMatch";
  exactWords: number;
}

const MAX_PROXIMITY_COST = 7;
const MAX_POSITION_COST = 10;

/**
 * Measures a document against the query terms. Only the document and the query take part
 * (no corpus statistics), so a score never changes when other documents come and go.
 * `undefined` when the document does not match under the matching strategy.
 */
export function measureRelevance(
  attributes: readonly WeightedAttribute[],
  terms: readonly QueryTerm[],
  matcher: WordMatcher,
  maxWeight: number,
  strategy: "last" | "all" | "frequency",
  proximityByAttribute: boolean,
): Relevance | undefined {
  const occurrences: Occurrence[][] = terms.map(() => []);
  attributes.forEach((attribute, attributeIndex) => {
    for (const token of attribute.text.tokens) {
      const match = matcher.match(token.word);
      if (match === null) continue;
      for (let i = 0; i < terms.length; i++) {
        const typos = match.typos[i] as number;
        if (typos < 0 || (typos > 0 && !attribute.typoTolerant)) continue;
        (occurrences[i] as Occurrence[]).push({
          attribute: attributeIndex,
          weight: attribute.weight,
          position: token.position,
          typos,
          exact: match.exact[i] as boolean,
        });
      }
    }
  });
  let matching = 0;
  while (matching < terms.length && (occurrences[matching] as Occurrence[]).length > 0) matching++;
  if (matching === 0 || (strategy === "all" && matching < terms.length)) return undefined;
  const used = occurrences.slice(0, matching);
  const usedTerms = terms.slice(0, matching);

  let typoCount = 0;
  let maxTypoCount = 0;
  let fidCost = 0;
  let positionCost = 0;
  let exactWords = 0;
  used.forEach((list, i) => {
    const term = usedTerms[i] as QueryTerm;
    maxTypoCount += term.maxTypos;
    typoCount += Math.min(...list.map((o) => o.typos));
    fidCost += Math.min(...list.map((o) => o.weight));
    positionCost += Math.min(...list.map((o) => positionCostOf(Math.abs(o.position - term.index))));
    if (list.some((o) => o.exact)) exactWords++;
  });

  let proximityCost = 0;
  for (let i = 0; i + 1 < used.length; i++) {
    proximityCost += pairCost(
      used[i] as Occurrence[],
      used[i + 1] as Occurrence[],
      proximityByAttribute,
    );
  }

  return {
    matchingWords: matching,
    maxMatchingWords: terms.length,
    typoCount,
    maxTypoCount,
    proximity: rankFromCost(proximityCost, MAX_PROXIMITY_COST * (matching - 1)),
    attributeRank: rankFromCost(fidCost, maxWeight * matching),
    wordPosition: rankFromCost(positionCost, MAX_POSITION_COST * matching),
    exactness: exactnessOf(attributes, usedTerms, matcher),
    exactWords,
  };
}

function pairCost(
  left: readonly Occurrence[],
  right: readonly Occurrence[],
  byAttribute: boolean,
): number {
  let best = MAX_PROXIMITY_COST;
  for (const a of left) {
    for (const b of right) {
      if (a.attribute !== b.attribute) continue;
      if (byAttribute) return 0;
      const distance = b.position - a.position;
      const proximity =
        distance > 0 ? distance : distance < 0 ? 1 - distance : MAX_PROXIMITY_COST + 1;
      if (proximity <= MAX_PROXIMITY_COST) best = Math.min(best, proximity - 1);
      if (best === 0) return 0;
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

function exactnessOf(
  attributes: readonly WeightedAttribute[],
  terms: readonly QueryTerm[],
  matcher: WordMatcher,
): Relevance["exactness"] {
  let startsWith = false;
  for (const attribute of attributes) {
    const tokens = attribute.text.tokens;
    if (tokens.length < terms.length) continue;
    const starts = terms.every(
      (_, i) => matcher.match((tokens[i] as { word: string }).word)?.exact[i] === true,
    );
    if (!starts) continue;
    if (tokens.length === terms.length) return "exactMatch";
    startsWith = true;
  }
  return startsWith ? "matchesStart" : "noExactMatch";
}
