import type { DocumentsBrowseQuery } from "@miroir/merger";

/**
 * The `POST /documents/fetch` body equivalent to `GET /documents`' query string, or null
 * when a parameter is unknown or does not parse (the node's answer is then the error).
 */
export function browseQueryOfParams(params: URLSearchParams): DocumentsBrowseQuery | null {
  const query: DocumentsBrowseQuery = {};
  for (const [name, text] of params) {
    switch (name) {
      case "offset":
      case "limit":
        if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(Number(text))) return null;
        query[name] = Number(text);
        break;
      case "fields":
      case "ids":
        query[name] = text.split(",").map((item) => item.trim());
        break;
      case "filter":
        query.filter = filterOfParam(text);
        break;
      case "sort":
        query.sort = sortOfParam(text);
        break;
      case "retrieveVectors":
        if (text !== "true" && text !== "false") return null;
        query.retrieveVectors = text === "true";
        break;
      default:
        return null;
    }
  }
  return query;
}

function filterOfParam(text: string): DocumentsBrowseQuery["filter"] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed as DocumentsBrowseQuery["filter"];
  } catch {
    // Not JSON: the expression form.
  }
  return text;
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
