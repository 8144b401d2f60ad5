import { MeiliError, meiliError } from "@miroir/errors";
import type { Logger } from "pino";
import { NodeCallError } from "../node-client/index.js";

/** Any thrown value as the Meilisearch error a client should see. */
export function toMeiliError(error: unknown): MeiliError {
  if (error instanceof MeiliError) return error;
  if (error instanceof NodeCallError) return error.toMeiliError();
  return meiliError("internal", "An internal error occurred in Miroir.");
}

/**
 * The one place that turns a failure into an HTTP answer: Meilisearch's error shape,
 * code, type and status; an internal failure is logged and answered as `internal`.
 */
export function errorResponse(error: unknown, logger: Logger): Response {
  const meili = toMeiliError(error);
  if (meili.status >= 500 && !(error instanceof MeiliError)) {
    logger.error({ err: error }, "request failed");
  }
  return meili.toResponse();
}
