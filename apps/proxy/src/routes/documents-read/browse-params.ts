import type { DocumentsBrowseQuery } from "@miroir/merger";
import { bodyOfParams, booleanParam, countParam, filterParam, listParam } from "../query-params.js";

/** How `GET /indexes/{uid}/documents` spells each parameter of `POST /documents/fetch`. */
const BROWSE_PARAMS = {
  offset: countParam,
  limit: countParam,
  fields: listParam,
  ids: listParam,
  filter: filterParam,
  sort: sortOfParam,
  retrieveVectors: booleanParam,
};

/**
 * The `POST /documents/fetch` body equivalent to `GET /documents`' query string, or null
 * when a parameter is unknown or does not parse (the node's answer is then the error).
 */
export function browseQueryOfParams(params: URLSearchParams): DocumentsBrowseQuery | null {
  return bodyOfParams(params, BROWSE_PARAMS) as DocumentsBrowseQuery | null;
}

/** A comma list of sort entries; commas inside parentheses (`_geoPoint(1, 2):asc`) stay. */
function sortOfParam(text: string): string[] {
  const entries: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "(") depth++;
    if (char === ")") depth = Math.max(0, depth - 1);
    if (char === "," && depth === 0) {
      entries.push(current.trim());
      current = "";
    } else current += char;
  }
  entries.push(current.trim());
  return entries.filter((entry) => entry !== "");
}
