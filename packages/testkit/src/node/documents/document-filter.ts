import { MeiliError, meiliError } from "@miroir/errors";
import {
  containsFilterCheck,
  type Document,
  type Filter,
  type FilterArray,
  filterableCheck,
  matchFilter,
  parseFilter,
  type Settings,
} from "../../engine/index.js";
import { invalidType } from "../request-body.js";

/**
 * A filter of the documents routes: the engine's grammar under `invalid_document_filter`,
 * and `CONTAINS` refused (in the response) unless the `containsFilter` feature is on.
 */
export function parseDocumentFilter(raw: unknown, containsFilter: boolean): Filter {
  if (typeof raw !== "string" && !Array.isArray(raw)) {
    throw invalidType("invalid_document_filter", ".filter", "a string or an array", raw);
  }
  let filter: Filter;
  try {
    filter = parseFilter(raw as string | FilterArray);
  } catch (error) {
    if (error instanceof MeiliError) throw meiliError("invalid_document_filter", error.message);
    throw error;
  }
  if (!containsFilter) containsFilterCheck(filter);
  return filter;
}

/** Whether each document matches, once the filter's attributes are known to be filterable. */
export function documentMatcher(filter: Filter, settings: Settings): (doc: Document) => boolean {
  filterableCheck(filter, settings, "invalid_document_filter");
  return (doc) => matchFilter(doc, filter);
}
