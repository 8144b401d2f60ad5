import type { Row } from "../row-store.js";
import { TaskStoreError } from "../task-store-error.js";

/** Typed reads of row columns; a missing or mistyped value means the stored row is damaged. */

export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== "string") throw damaged(column);
  return value;
}

export function optionalText(row: Row, column: string): string | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") throw damaged(column);
  return value;
}

export function integer(row: Row, column: string): number {
  const value = row[column];
  if (typeof value !== "number") throw damaged(column);
  return value;
}

export function optionalInteger(row: Row, column: string): number | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  if (typeof value !== "number") throw damaged(column);
  return value;
}

export function json<T>(row: Row, column: string): T {
  return parsed(text(row, column), column);
}

export function optionalJson<T>(row: Row, column: string): T | null {
  const value = optionalText(row, column);
  return value === null ? null : parsed(value, column);
}

function parsed<T>(value: string, column: string): T {
  try {
    return JSON.parse(value) as T;
  } catch {
    throw damaged(column);
  }
}

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function optionalToJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function damaged(column: string): TaskStoreError {
  return new TaskStoreError(
    "store_corrupt",
    `A stored row has an invalid "${column}" column; the task store was modified outside Miroir. Restore it from a backup or remove the damaged row.`,
  );
}
