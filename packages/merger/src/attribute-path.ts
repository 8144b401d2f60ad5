import { isRecord } from "./node-answer.js";

/** The value at a dotted attribute path (`author.name`), as Meilisearch resolves nested fields. */
export function valueAt(document: Record<string, unknown>, path: string): unknown {
  if (path in document) return document[path];
  const dot = path.indexOf(".");
  if (dot < 0) return undefined;
  const head = document[path.slice(0, dot)];
  return isRecord(head) ? valueAt(head, path.slice(dot + 1)) : undefined;
}

/**
 * Removes a dotted path, and any object it leaves empty on the way up. Nested objects are
 * copied before they change, so only `document` itself is modified.
 */
export function removeAt(document: Record<string, unknown>, path: string): void {
  if (path in document) {
    delete document[path];
    return;
  }
  const dot = path.indexOf(".");
  if (dot < 0) return;
  const headKey = path.slice(0, dot);
  const head = document[headKey];
  if (!isRecord(head)) return;
  const copy = { ...head };
  removeAt(copy, path.slice(dot + 1));
  if (Object.keys(copy).length === 0) delete document[headKey];
  else document[headKey] = copy;
}

/** Whether a client's `attributesToRetrieve` already brings `path` back. */
export function isRetrieved(attributes: readonly string[], path: string): boolean {
  return attributes.some(
    (attribute) => attribute === "*" || attribute === path || path.startsWith(`${attribute}.`),
  );
}
