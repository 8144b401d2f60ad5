import type { Document } from "./document.js";
import { embeddingsOf } from "./document-vectors.js";
import type { EngineIndex } from "./engine-index.js";
import type { Filter } from "./filter.js";
import { matchFilter } from "./filter-match.js";
import { rankingPlan, type SortKey } from "./ranking-details.js";
import type { SortCriterion } from "./sort-criteria.js";

/** A candidate of a vector search: its similarity to the target, null without a vector. */
export interface SemanticHit {
  doc: Document;
  key: string;
  order: number;
  similarity: number | null;
  /** Sort values of the sort steps ranked before the vector step, then of those after it. */
  leading: readonly SortKey[];
  trailing: readonly SortKey[];
}

/** The ranked candidates of a vector search and how to describe one in the score details. */
export interface SemanticRanking {
  hits: SemanticHit[];
  details(hit: SemanticHit): Record<string, unknown>;
}

/**
 * Similarity as Meilisearch reports it for a cosine distance: `(1 + cos) / 2`, so 1 for
 * the same direction, 0.5 for orthogonal vectors and 0 for opposite ones. A zero vector
 * has no direction and counts as orthogonal.
 */
export function similarity(left: readonly number[], right: readonly number[]): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const l = Math.fround(left[i] as number);
    const r = Math.fround(right[i] as number);
    dot += l * r;
    leftNorm += l * l;
    rightNorm += r * r;
  }
  const norms = Math.sqrt(leftNorm) * Math.sqrt(rightNorm);
  const cosine = norms === 0 ? 0 : Math.min(1, Math.max(-1, dot / norms));
  // Meilisearch computes in 32-bit floats
  return Math.fround((1 + Math.fround(cosine)) / 2);
}

/** A document's similarity: that of its embedding closest to the target (one per document). */
function documentSimilarity(doc: Document, embedder: string, target: readonly number[]) {
  let best: number | null = null;
  for (const vector of embeddingsOf(doc, embedder)) {
    if (vector.length !== target.length) continue;
    const value = similarity(vector, target);
    if (best === null || value > best) best = value;
  }
  return best;
}

/**
 * Ranks the documents matching `filter` (all but `exclude`) by similarity to `target`, the
 * vector step standing where the index's first relevance rule stands, sort rules around
 * it; documents without a vector for the embedder come last. Ties: insertion order.
 */
export function semanticRanking(
  index: EngineIndex,
  request: {
    embedder: string;
    target: readonly number[];
    filter: Filter;
    sort: readonly SortCriterion[];
    exclude?: string;
  },
): SemanticRanking {
  const rules = index.settings.rankingRules;
  const vectorAt = rules.findIndex((rule) => !rule.includes(":") && rule !== "sort");
  const sortRules = (from: number, to: number) =>
    rules.slice(from, to).filter((rule) => rule === "sort" || rule.includes(":"));
  const before = rankingPlan(sortRules(0, vectorAt === -1 ? rules.length : vectorAt), request.sort);
  const after = rankingPlan(vectorAt === -1 ? [] : sortRules(vectorAt, rules.length), request.sort);
  const hits: SemanticHit[] = [];
  let order = 0;
  for (const [key, doc] of index.documents) {
    order++;
    if (key === request.exclude) continue;
    if (request.filter.kind !== "all" && !matchFilter(doc, request.filter)) continue;
    hits.push({
      doc,
      key,
      order,
      similarity: documentSimilarity(doc, request.embedder, request.target),
      leading: before.sortKeys(doc),
      trailing: after.sortKeys(doc),
    });
  }
  const verdicts = (hit: SemanticHit) => ({
    first: { relevance: undefined, sortKeys: hit.leading },
    last: { relevance: undefined, sortKeys: hit.trailing },
  });
  hits.sort((a, b) => {
    const left = verdicts(a);
    const right = verdicts(b);
    return (
      before.compare(left.first, right.first) ||
      compareSimilarity(a.similarity, b.similarity) ||
      after.compare(left.last, right.last) ||
      a.order - b.order
    );
  });
  return {
    hits,
    details(hit) {
      const { first, last } = verdicts(hit);
      const leading = before.details(first);
      const vectorOrder = Object.keys(leading).length;
      const vector =
        hit.similarity === null
          ? { order: vectorOrder }
          : { order: vectorOrder, similarity: hit.similarity };
      const trailing = Object.entries(after.details(last)).map(([name, detail]) => [
        name,
        { ...(detail as object), order: vectorOrder + 1 + (detail as { order: number }).order },
      ]);
      return { ...leading, vectorSort: vector, ...Object.fromEntries(trailing) };
    },
  };
}

function compareSimilarity(left: number | null, right: number | null): number {
  if (left === null || right === null) return left === right ? 0 : left === null ? 1 : -1;
  return right - left;
}
