import { type ErrorCode, meiliError } from "@miroir/errors";
import { anyPatternCovers, filterablePatterns } from "./attribute-pattern.js";
import type { Document } from "./document.js";
import { pathExists, rawValuesAt, valuesAt } from "./document-path.js";
import { type Filter, type FilterToken, filterAttributes, filterContextLine } from "./filter.js";
import { distanceMeters, geoPointOf, inBoundingBox } from "./geo.js";
import type { Settings } from "./settings.js";

/** Whether a document satisfies a filter, with Meilisearch's value semantics. */
export function matchFilter(doc: Document, filter: Filter): boolean {
  switch (filter.kind) {
    case "all":
      return true;
    case "and":
      return filter.items.every((item) => matchFilter(doc, item));
    case "or":
      return filter.items.some((item) => matchFilter(doc, item));
    case "not":
      return !matchFilter(doc, filter.inner);
    case "compare":
      if (filter.operator === "=")
        return anyValue(doc, filter.attribute, (v) => equals(v, filter.value));
      if (filter.operator === "!=")
        return !anyValue(doc, filter.attribute, (v) => equals(v, filter.value));
      return anyValue(doc, filter.attribute, (v) => {
        const order = compare(v, filter.value);
        if (order === undefined) return false;
        if (filter.operator === ">") return order > 0;
        if (filter.operator === ">=") return order >= 0;
        if (filter.operator === "<") return order < 0;
        return order <= 0;
      });
    case "range":
      return anyValue(doc, filter.attribute, (v) => {
        const low = compare(v, filter.from);
        const high = compare(v, filter.to);
        return low !== undefined && high !== undefined && low >= 0 && high <= 0;
      });
    case "in":
      return anyValue(doc, filter.attribute, (v) =>
        filter.values.some((value) => equals(v, value)),
      );
    case "exists":
      return pathExists(doc, filter.attribute.value);
    case "isNull":
      return rawValuesAt(doc, filter.attribute.value).some((v) => v === null);
    case "isEmpty":
      return rawValuesAt(doc, filter.attribute.value).some(isEmptyValue);
    case "contains":
      return anyValue(doc, filter.attribute, (v) => {
        const text = facetString(v);
        return text?.includes(normalizeFacet(filter.value.value)) === true;
      });
    case "startsWith":
      return anyValue(doc, filter.attribute, (v) => {
        const text = facetString(v);
        return text?.startsWith(normalizeFacet(filter.value.value)) === true;
      });
    case "geoRadius": {
      const point = geoPointOf(doc);
      return (
        point !== undefined && distanceMeters([filter.lat, filter.lng], point) <= filter.radius
      );
    }
    case "geoBoundingBox": {
      const point = geoPointOf(doc);
      return point !== undefined && inBoundingBox(point, filter.topRight, filter.bottomLeft);
    }
  }
}

/**
 * Rejects a filter that reads an attribute the settings do not make filterable, with the
 * error code of the route (`invalid_search_filter`, `invalid_document_filter`, …).
 */
export function filterableCheck(
  filter: Filter,
  settings: Settings,
  code: ErrorCode,
  indexUid?: string,
): void {
  const patterns = filterablePatterns(settings.filterableAttributes);
  for (const attribute of filterAttributes(filter)) {
    if (anyPatternCovers(patterns, attribute.value)) continue;
    const name = attribute.value === "_geo" ? "_geo/_geojson" : attribute.value;
    throw meiliError(code, notFilterableMessage(name, patterns, attribute, indexUid));
  }
}

function notFilterableMessage(
  name: string,
  patterns: readonly string[],
  context: FilterToken,
  indexUid: string | undefined,
): string {
  const prefix = indexUid === undefined ? "" : `Index \`${indexUid}\`: `;
  const available =
    patterns.length === 0
      ? " This index does not have configured filterable attributes."
      : ` Available filterable attribute patterns are: ${[...new Set(patterns)]
          .sort()
          .map((pattern) => `\`${pattern}\``)
          .join(", ")}.`;
  return `${prefix}Attribute \`${name}\` is not filterable.${available}\n${filterContextLine(context)}`;
}

/**
 * Rejects `CONTAINS`, which Meilisearch only accepts once its `containsFilter`
 * experimental feature is enabled (`STARTS WITH` needs no switch in 1.50).
 */
export function containsFilterCheck(filter: Filter): void {
  switch (filter.kind) {
    case "and":
    case "or":
      for (const item of filter.items) containsFilterCheck(item);
      return;
    case "not":
      containsFilterCheck(filter.inner);
      return;
    case "contains":
      throw meiliError(
        "feature_not_enabled",
        `Using \`CONTAINS\` in a filter requires enabling the \`contains filter\` experimental feature. See https://github.com/orgs/meilisearch/discussions/763\n${filterContextLine(filter.operator)}`,
      );
  }
}

/** The string form Meilisearch stores in its facet databases: trimmed, compatibility decomposed, lower-cased. */
export function normalizeFacet(value: string): string {
  return value.trim().normalize("NFKD").toLowerCase();
}

function anyValue(
  doc: Document,
  attribute: FilterToken,
  test: (value: unknown) => boolean,
): boolean {
  return valuesAt(doc, attribute.value).some(test);
}

function isEmptyValue(value: unknown): boolean {
  if (value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && value !== null && Object.keys(value).length === 0;
}

function facetString(value: unknown): string | undefined {
  if (typeof value === "string") return normalizeFacet(value);
  if (typeof value === "boolean") return String(value);
  return undefined;
}

function filterNumber(token: FilterToken): number | undefined {
  const text = token.value.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

function equals(value: unknown, token: FilterToken): boolean {
  if (typeof value === "number") return value === filterNumber(token);
  const text = facetString(value);
  return text !== undefined && text === normalizeFacet(token.value);
}

/** Sign of `value - token`, numeric when both are numbers, lexicographic for strings. */
function compare(value: unknown, token: FilterToken): number | undefined {
  if (typeof value === "number") {
    const number = filterNumber(token);
    return number === undefined ? undefined : Math.sign(value - number);
  }
  const text = facetString(value);
  if (text === undefined) return undefined;
  const other = normalizeFacet(token.value);
  return text < other ? -1 : text > other ? 1 : 0;
}
