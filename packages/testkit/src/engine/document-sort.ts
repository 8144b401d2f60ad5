import { MeiliError, meiliError } from "@miroir/errors";
import type { Document } from "./document.js";
import type { EngineIndex } from "./engine-index.js";
import { rankingPlan } from "./ranking-details.js";
import {
  checkSortableAttributes,
  parseSortCriterion,
  type SortCriterion,
} from "./sort-criteria.js";

/**
 * Orders a documents listing by `sort` (`GET /documents?sort=…`, `/documents/fetch`):
 * sort values in their direction (numbers before strings, missing values last, strings by
 * their lower-cased form), ties in insertion order. Only sortable attributes may be used.
 */
export function sortListing(
  index: EngineIndex,
  documents: readonly Document[],
  sort: readonly string[],
): Document[] {
  if (sort.length === 0) return [...documents];
  const criteria = sort.map(documentSortCriterion);
  checkSortableAttributes(criteria, index.settings, index.uid, "invalid_document_sort");
  const plan = rankingPlan(["sort"], criteria);
  const keyed = documents.map((doc, order) => ({
    doc,
    order,
    verdict: { relevance: undefined, sortKeys: plan.sortKeys(doc) },
  }));
  keyed.sort((a, b) => plan.compare(a.verdict, b.verdict) || a.order - b.order);
  return keyed.map((entry) => entry.doc);
}

function documentSortCriterion(expression: string): SortCriterion {
  try {
    return parseSortCriterion(expression);
  } catch (error) {
    if (error instanceof MeiliError) throw meiliError("invalid_document_sort", error.message);
    throw error;
  }
}
