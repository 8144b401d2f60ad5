/** A piece of the filter source: its text and where it sits, for Meilisearch's error context. */
export interface FilterToken {
  value: string;
  /** UTF-16 offset of the token in `source`. */
  start: number;
  length: number;
  source: string;
}

export type ComparisonOperator = "=" | "!=" | ">" | ">=" | "<" | "<=";

/** A parsed filter expression (both the string and the array forms parse to this). */
export type Filter =
  | { kind: "all" }
  | { kind: "and"; items: Filter[] }
  | { kind: "or"; items: Filter[] }
  | { kind: "not"; inner: Filter }
  | { kind: "compare"; attribute: FilterToken; operator: ComparisonOperator; value: FilterToken }
  | { kind: "range"; attribute: FilterToken; from: FilterToken; to: FilterToken }
  | { kind: "in"; attribute: FilterToken; values: FilterToken[] }
  | { kind: "exists"; attribute: FilterToken }
  | { kind: "isNull"; attribute: FilterToken }
  | { kind: "isEmpty"; attribute: FilterToken }
  | { kind: "contains"; attribute: FilterToken; value: FilterToken; operator: FilterToken }
  | { kind: "startsWith"; attribute: FilterToken; value: FilterToken; operator: FilterToken }
  | { kind: "geoRadius"; lat: number; lng: number; radius: number; context: FilterToken }
  | {
      kind: "geoBoundingBox";
      topRight: [number, number];
      bottomLeft: [number, number];
      context: FilterToken;
    };

/** The array form: outer entries are ANDed, entries of an inner array are ORed. */
export type FilterArray = ReadonlyArray<string | ReadonlyArray<string>>;

/** The `start:end source` line Meilisearch appends to every filter diagnostic. */
export function filterContextLine(token: FilterToken): string {
  const column = Array.from(token.source.slice(0, token.start)).length + 1;
  const size = Array.from(token.source.slice(token.start, token.start + token.length)).length;
  return `${column}:${column + size} ${token.source}`;
}

/** Every attribute a filter reads, with `_geo` for the geo operators. */
export function filterAttributes(filter: Filter): FilterToken[] {
  switch (filter.kind) {
    case "all":
      return [];
    case "and":
    case "or":
      return filter.items.flatMap(filterAttributes);
    case "not":
      return filterAttributes(filter.inner);
    case "geoRadius":
    case "geoBoundingBox":
      return [{ ...filter.context, value: "_geo" }];
    default:
      return [filter.attribute];
  }
}
