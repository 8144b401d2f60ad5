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
export function sortValueOf(document: Document, sort: ListingSort): number | string | null {
  let best: number | string | null = null;
  for (const raw of valuesAt(document, sort.attribute)) {
    const value = sortable(raw);
    if (value === null) continue;
    if (best === null || compareValues(sort.ascending, value, best) < 0) best = value;
  }
  return best;
}

/** A document with its sort values read once, and its primary key for ties. */
export interface SortedEntry {
  readonly document: Document;
  readonly values: readonly (number | string | null)[];
  readonly key: string;
}

export function sortedEntry(
  document: Document,
  sorts: readonly ListingSort[],
  primaryKey: string | null,
): SortedEntry {
  const key = primaryKey === null ? "" : String(document[primaryKey] ?? "");
  return { document, values: sorts.map((sort) => sortValueOf(document, sort)), key };
}

/** Listing order: sort entries in turn, then the primary key so equal values stay stable. */
export function compareEntries(
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

/**
 * The window [offset, offset + limit) of the merge of already ordered lists, read head by
 * head (few lists, one per covering node), never sorting everything.
 */
export function mergedListingWindow(
  lists: readonly (readonly SortedEntry[])[],
  sorts: readonly ListingSort[],
  offset: number,
  limit: number,
): Document[] {
  const heads = lists.map(() => 0);
  const window: Document[] = [];
  for (let position = 0; window.length < limit; position++) {
    let best = -1;
    for (let list = 0; list < lists.length; list++) {
      const candidate = lists[list]?.[heads[list] as number];
      if (candidate === undefined) continue;
      const current = best === -1 ? undefined : lists[best]?.[heads[best] as number];
      if (current === undefined || compareEntries(sorts, candidate, current) < 0) best = list;
    }
    if (best === -1) break;
    const next = lists[best]?.[heads[best] as number] as SortedEntry;
    heads[best] = (heads[best] as number) + 1;
    if (position >= offset) window.push(next.document);
  }
  return window;
}
