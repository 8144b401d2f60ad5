import { isRetrieved, removeAt } from "./attribute-path.js";
import type {
  DocumentsBrowseQuery,
  DocumentsListing,
  MergedDocumentsBrowse,
} from "./documents-browse.js";
import { KWayMerge } from "./k-way-merge.js";
import { withShardFilter } from "./shard-filter.js";
import { clientDocument } from "./shard-window-listing.js";

const DEFAULT_LIMIT = 20;

type Document = Record<string, unknown>;

/** One `sort` entry of a documents listing on an attribute. */
export interface ListingSort {
  readonly attribute: string;
  readonly ascending: boolean;
}

/**
 * The listing's sort entries, or null when one is not `attribute:asc|desc` (a geo sort or
 * a malformed entry: the node's own answer decides).
 */
export function listingSortOf(sort: readonly string[]): ListingSort[] | null {
  const entries: ListingSort[] = [];
  for (const entry of sort) {
    const match = /^(.+):(asc|desc)$/.exec(entry);
    if (match === null || entry.startsWith("_geo")) return null;
    entries.push({ attribute: match[1] as string, ascending: match[2] === "asc" });
  }
  return entries;
}

/** The client's `fields` plus what the merge reads (sort attributes, primary key). */
function fetchedFields(
  fields: DocumentsBrowseQuery["fields"],
  sorts: readonly ListingSort[],
  primaryKey: string | null,
): { requested: string[]; added: string[] } | undefined {
  if (fields === undefined || fields === null) return undefined;
  const requested = [...fields];
  const added: string[] = [];
  const needed = [
    ...sorts.map((sort) => sort.attribute),
    ...(primaryKey === null ? [] : [primaryKey]),
  ];
  for (const attribute of needed) {
    if (isRetrieved(requested, attribute)) continue;
    requested.push(attribute);
    added.push(attribute);
  }
  return { requested, added };
}

/**
 * What the node covering `shards` lists for a sorted listing: its documents of those
 * shards sorted, from 0 to the end of the client's window, with the attributes the merge
 * compares.
 */
export function planSortedDocumentsListing(
  query: DocumentsBrowseQuery,
  sorts: readonly ListingSort[],
  primaryKey: string | null,
  shards: readonly number[],
): DocumentsBrowseQuery {
  const fields = fetchedFields(query.fields, sorts, primaryKey);
  return {
    ...query,
    offset: 0,
    limit: (query.offset ?? 0) + (query.limit ?? DEFAULT_LIMIT),
    filter: withShardFilter(query.filter, shards),
    ...(fields === undefined ? {} : { fields: fields.requested }),
  };
}

/**
 * The client's window of a listing with `sort`, merged from the nodes' sorted listings on
 * the sort values (Meilisearch's value order), equal values by primary key; `total` is the
 * sum of the nodes' totals. Attributes the plan added and `_miroir_*` fields are removed.
 */
export function mergeCheckedSortedListing(
  query: DocumentsBrowseQuery,
  sorts: readonly ListingSort[],
  primaryKey: string | null,
  listings: readonly DocumentsListing[],
): MergedDocumentsBrowse {
  const offset = query.offset ?? 0;
  const limit = query.limit ?? DEFAULT_LIMIT;
  const added = fetchedFields(query.fields, sorts, primaryKey)?.added ?? [];
  const merge = new KWayMerge(
    listings.map((listing) => listing.results),
    (document) => sortedEntry(document, sorts, primaryKey),
    (left, right) => compareEntries(sorts, left, right),
  );
  const results: Document[] = [];
  for (let position = 0; results.length < limit; position++) {
    const document = merge.next();
    if (document === undefined) break;
    if (position < offset) continue;
    const visible = clientDocument(document);
    for (const attribute of added) removeAt(visible, attribute);
    results.push(visible);
  }
  const total = listings.reduce((sum, listing) => sum + listing.total, 0);
  return { results, offset, limit, total };
}

/** Every value at a dotted path, through nested objects and arrays (`a.b` reads `{a: {b}}`). */
function valuesAt(value: unknown, path: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, path));
  if (path === "") return [value];
  if (typeof value !== "object" || value === null) return [];
  const object = value as Document;
  const found: unknown[] = [];
  if (Object.hasOwn(object, path)) found.push(...valuesAt(object[path], ""));
  for (let dot = path.indexOf("."); dot !== -1; dot = path.indexOf(".", dot + 1)) {
    const head = path.slice(0, dot);
    if (Object.hasOwn(object, head)) found.push(...valuesAt(object[head], path.slice(dot + 1)));
  }
  return found;
}

/**
 * Meilisearch's order of two sort values, negative when `left` comes first: a missing
 * value last, numbers before strings, strings by their trimmed lower-cased form.
 */
function compareValues(
  ascending: boolean,
  left: number | string | null,
  right: number | string | null,
): number {
  if (left === null || right === null) return left === right ? 0 : left === null ? 1 : -1;
  if (typeof left !== typeof right) return typeof left === "number" ? -1 : 1;
  const order = left < right ? -1 : left > right ? 1 : 0;
  return ascending ? order : -order;
}

function sortable(value: unknown): number | string | null {
  if (typeof value === "number") return value;
  if (typeof value === "string") return value.trim().toLowerCase();
  return null;
}

/** The value a document sorts by: of an array, the one ranking first in the direction. */
function sortValueOf(document: Document, sort: ListingSort): number | string | null {
  let best: number | string | null = null;
  for (const raw of valuesAt(document, sort.attribute)) {
    const value = sortable(raw);
    if (value === null) continue;
    if (best === null || compareValues(sort.ascending, value, best) < 0) best = value;
  }
  return best;
}

/** A document's sort values, read once, and its primary key for ties. */
interface SortedEntry {
  readonly values: readonly (number | string | null)[];
  readonly key: string;
}

function sortedEntry(
  document: Document,
  sorts: readonly ListingSort[],
  primaryKey: string | null,
): SortedEntry {
  const key = primaryKey === null ? "" : String(document[primaryKey] ?? "");
  return { values: sorts.map((sort) => sortValueOf(document, sort)), key };
}

/** Listing order: sort entries in turn, then the primary key so equal values stay stable. */
function compareEntries(
  sorts: readonly ListingSort[],
  left: SortedEntry,
  right: SortedEntry,
): number {
  for (let i = 0; i < sorts.length; i++) {
    const order = compareValues(
      (sorts[i] as ListingSort).ascending,
      left.values[i] ?? null,
      right.values[i] ?? null,
    );
    if (order !== 0) return order;
  }
  return left.key < right.key ? -1 : left.key > right.key ? 1 : 0;
}
