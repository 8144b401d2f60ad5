import type { SearchQuery } from "@miroir/merger";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const absent = (value: unknown) => value === null || value === undefined;
const isCount = (value: unknown) =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
const isStringList = (value: unknown) =>
  Array.isArray(value) && value.every((item) => typeof item === "string");
const isFilter = (value: unknown) =>
  typeof value === "string" ||
  (Array.isArray(value) && value.every((item) => typeof item === "string" || isStringList(item)));

/**
 * The query when its parameters have the shapes the shard plan rewrites (window, filter,
 * sort, retrieved attributes); otherwise null, and the client's own request goes to one
 * node so that Meilisearch's exact error comes back.
 */
export function plannableQuery(body: unknown): SearchQuery | null {
  if (!isRecord(body)) return null;
  for (const key of ["offset", "limit", "page", "hitsPerPage"]) {
    if (!absent(body[key]) && !isCount(body[key])) return null;
  }
  if (!absent(body.filter) && !isFilter(body.filter)) return null;
  for (const key of ["sort", "facets", "attributesToRetrieve"]) {
    if (!absent(body[key]) && !isStringList(body[key])) return null;
  }
  if (!absent(body.distinct) && typeof body.distinct !== "string") return null;
  if (!absent(body.q) && typeof body.q !== "string") return null;
  return body as SearchQuery;
}

export { isRecord };
