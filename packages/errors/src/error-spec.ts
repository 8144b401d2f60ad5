/** Meilisearch's error types, as found in every error body's `type`. */
export type ErrorType = "invalid_request" | "auth" | "internal" | "system";

/** What an error code implies: its HTTP status and its type. */
export interface ErrorSpec {
  readonly status: number;
  readonly type: ErrorType;
}
