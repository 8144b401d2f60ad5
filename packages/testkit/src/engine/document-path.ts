import type { Document } from "./document.js";

/**
 * Every value a dotted attribute path reaches in a document, as Meilisearch flattens
 * documents: `a.b` reaches `{a: {b}}`, `{"a.b": …}` and `{a: [{b}, {b}]}`; arrays at the
 * end are expanded into their elements.
 */
export function valuesAt(doc: Document, path: string): unknown[] {
  const found: unknown[] = [];
  collect(doc, path, found);
  return found;
}

/** The values a path reaches, arrays left whole (for `IS EMPTY` and `IS NULL`). */
export function rawValuesAt(doc: Document, path: string): unknown[] {
  const found: unknown[] = [];
  collect(doc, path, found, false);
  return found;
}

/** Whether the path reaches anything at all (a `null` counts: it exists). */
export function pathExists(doc: Document, path: string): boolean {
  return rawValuesAt(doc, path).length > 0;
}

function collect(value: unknown, path: string, found: unknown[], expandArrays = true): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === "object" && item !== null) collect(item, path, found, expandArrays);
    }
    return;
  }
  if (typeof value !== "object" || value === null) return;
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, path)) {
    const leaf = record[path];
    if (expandArrays && Array.isArray(leaf)) found.push(...flattenArray(leaf));
    else found.push(leaf);
  }
  let dot = path.indexOf(".");
  while (dot !== -1) {
    const head = path.slice(0, dot);
    if (Object.hasOwn(record, head))
      collect(record[head], path.slice(dot + 1), found, expandArrays);
    dot = path.indexOf(".", dot + 1);
  }
}

function flattenArray(values: readonly unknown[]): unknown[] {
  const flat: unknown[] = [];
  for (const value of values) {
    if (Array.isArray(value)) flat.push(...flattenArray(value));
    else flat.push(value);
  }
  return flat;
}

/** Every leaf attribute of a document with its dotted path, objects flattened. */
export function leafAttributes(doc: Document): Array<[string, unknown]> {
  const leaves: Array<[string, unknown]> = [];
  walk(doc, "", leaves);
  return leaves;
}

function walk(value: unknown, prefix: string, leaves: Array<[string, unknown]>): void {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) {
      walk(inner, prefix === "" ? key : `${prefix}.${key}`, leaves);
    }
    return;
  }
  if (Array.isArray(value) && value.some((item) => typeof item === "object" && item !== null)) {
    for (const item of value) walk(item, prefix, leaves);
    return;
  }
  leaves.push([prefix, value]);
}
