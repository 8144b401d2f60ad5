import { invalidInput } from "./task-store-error.js";

/** Checks shared by every table: each throws `invalid_input` naming the field. */

export function requireCount(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalidInput(`"${field}" must be a non-negative integer, got ${String(value)}.`);
  }
}

export function requireTime(value: number, field: string): void {
  if (!Number.isSafeInteger(value)) {
    throw invalidInput(`"${field}" must be a time in epoch milliseconds, got ${String(value)}.`);
  }
}

/** Code-unit order, the same on every backend and locale, for listing rows by name. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
