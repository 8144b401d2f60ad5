import type { DocumentsBrowseQuery } from "@miroir/merger";
import { booleanOfParam, countOfParam, filterOfParam } from "../query-params.js";

/**
 * The `POST /documents/fetch` body equivalent to `GET /documents`' query string, or null
 * when a parameter is unknown or does not parse (the node's answer is then the error).
 */
export function browseQueryOfParams(params: URLSearchParams): DocumentsBrowseQuery | null {
  const query: DocumentsBrowseQuery = {};
  for (const [name, text] of params) {
    switch (name) {
      case "offset":
      case "limit": {
        const count = countOfParam(text);
        if (count === undefined) return null;
        query[name] = count;
        break;
      }
      case "fields":
      case "ids":
        query[name] = text.split(",").map((item) => item.trim());
        break;
      case "filter":
        query.filter = filterOfParam(text) as DocumentsBrowseQuery["filter"];
        break;
      case "sort":
        query.sort = sortOfParam(text);
        break;
      case "retrieveVectors": {
        const flag = booleanOfParam(text);
        if (flag === undefined) return null;
        query.retrieveVectors = flag;
        break;
      }
      default:
        return null;
    }
  }
  return query;
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
