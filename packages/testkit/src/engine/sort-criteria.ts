import { meiliError } from "@miroir/errors";
import type { Settings } from "./settings.js";

/** One `sort` entry of a query, or a custom `attr:asc` ranking rule. */
export type SortCriterion =
  | { kind: "field"; field: string; ascending: boolean }
  | { kind: "geo"; point: [number, number]; ascending: boolean };

const GEO_POINT = /^_geoPoint\(\s*([^,\s)]+)\s*,\s*([^,\s)]+)\s*\)$/;

/** Parses one sort expression; throws `invalid_search_sort` with Meilisearch's wording. */
export function parseSortCriterion(expression: string): SortCriterion {
  const colon = expression.lastIndexOf(":");
  const direction = colon === -1 ? "" : expression.slice(colon + 1);
  const target = colon === -1 ? expression : expression.slice(0, colon);
  if (target.startsWith("_geoPoint(")) {
    const match = GEO_POINT.exec(target);
    const lat = Number(match?.[1]);
    const lng = Number(match?.[2]);
    if (
      match === null ||
      !Number.isFinite(lat) ||
      !Number.isFinite(lng) ||
      !isDirection(direction)
    ) {
      throw meiliError(
        "invalid_search_sort",
        `Invalid syntax for the geo parameter: expected expression formated like \`_geoPoint(latitude, longitude)\` and ending by \`:asc\` or \`:desc\`, found \`${expression}\`.`,
      );
    }
    if (lat < -90 || lat > 90 || lng < -180 || lng > 180) {
      throw meiliError(
        "invalid_search_sort",
        `Bad latitude or longitude in \`${expression}\`: latitudes are between -90 and 90, longitudes between -180 and 180.`,
      );
    }
    return { kind: "geo", point: [lat, lng], ascending: direction === "asc" };
  }
  if (target === "_geo" || target === "_geoDistance" || target === "_geoRadius") {
    throw meiliError(
      "invalid_search_sort",
      `\`${target}\` is a reserved keyword and thus can't be used as a sort expression. Use the _geoPoint(latitude, longitude) built-in rule to sort on _geo field coordinates.`,
    );
  }
  if (!isDirection(direction) || target === "") {
    throw meiliError(
      "invalid_search_sort",
      `Invalid syntax for the sort parameter: expected expression ending by \`:asc\` or \`:desc\`, found \`${expression}\`.`,
    );
  }
  return { kind: "field", field: target, ascending: direction === "asc" };
}

function isDirection(direction: string): direction is "asc" | "desc" {
  return direction === "asc" || direction === "desc";
}

/** The name of a criterion in `_rankingScoreDetails`: `price:asc`, `_geoPoint(1, 2):desc`. */
export function criterionName(criterion: SortCriterion): string {
  const direction = criterion.ascending ? "asc" : "desc";
  if (criterion.kind === "field") return `${criterion.field}:${direction}`;
  return `_geoPoint(${criterion.point[0]}, ${criterion.point[1]}):${direction}`;
}

/** Rejects a query sort the settings do not allow, as Meilisearch does at search time. */
export function checkSortable(
  criteria: readonly SortCriterion[],
  settings: Settings,
  indexUid: string,
): void {
  if (criteria.length === 0) return;
  if (!settings.rankingRules.includes("sort")) {
    throw meiliError(
      "invalid_search_sort",
      `Index \`${indexUid}\`: You must specify where \`sort\` is listed in the rankingRules setting to use the sort parameter at search time.`,
    );
  }
  checkSortableAttributes(criteria, settings, indexUid, "invalid_search_sort");
}

/** Rejects a sort on an attribute that is not sortable, with Meilisearch's wording. */
export function checkSortableAttributes(
  criteria: readonly SortCriterion[],
  settings: Settings,
  indexUid: string,
  code: "invalid_search_sort" | "invalid_document_sort",
): void {
  const sortable = settings.sortableAttributes;
  for (const criterion of criteria) {
    const field = criterion.kind === "geo" ? "_geo" : criterion.field;
    if (sortable.includes(field) || sortable.includes("*")) continue;
    if (sortable.some((attribute) => field.startsWith(`${attribute}.`))) continue;
    const available =
      sortable.length === 0
        ? "This index does not have configured sortable attributes."
        : `Available sortable attributes are: \`${[...sortable].sort().join(", ")}\`.`;
    throw meiliError(
      code,
      `Index \`${indexUid}\`: Attribute \`${field}\` is not sortable. ${available}`,
    );
  }
}

/**
 * Meilisearch's order of sort values, as "how much better is `left`": a missing value is
 * always last, numbers come before strings, then the direction decides.
 */
export function compareSortValues(ascending: boolean, left: unknown, right: unknown): number {
  const l = left ?? null;
  const r = right ?? null;
  if (l === null || r === null) return l === r ? 0 : l === null ? -1 : 1;
  if (typeof l === "number" && typeof r === "string") return 1;
  if (typeof l === "string" && typeof r === "number") return -1;
  if (typeof l === "number" && typeof r === "number") {
    const order = Math.sign(l - r);
    return ascending ? -order : order;
  }
  if (typeof l === "string" && typeof r === "string") {
    const order = l < r ? -1 : l > r ? 1 : 0;
    return ascending ? -order : order;
  }
  return 0;
}
