/** Why an operation on the task store was refused. */
export type TaskStoreErrorCode =
  | "store_unreachable"
  | "store_failed"
  | "store_corrupt"
  | "store_foreign"
  | "schema_too_new"
  | "invalid_input"
  | "write_conflict"
  | "stale_lease";

/**
 * The one error type the task store throws. `code` is stable and meant for programs;
 * `message` says what happened and what the operator should do about it.
 */
export class TaskStoreError extends Error {
  readonly code: TaskStoreErrorCode;

  constructor(code: TaskStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TaskStoreError";
    this.code = code;
  }
}

export function invalidInput(message: string): TaskStoreError {
  return new TaskStoreError("invalid_input", message);
}

/** The message of a caught value, for wrapping it in a clearer error. */
export function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
