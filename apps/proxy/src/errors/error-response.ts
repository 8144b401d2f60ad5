import { MeiliError, meiliError } from "@miroir/errors";
import { TaskStoreError } from "@miroir/taskstore";
import type { Logger } from "pino";
import { NodeCallError } from "../node-client/index.js";

/** Any thrown value as the Meilisearch error a client should see. */
export function toMeiliError(error: unknown): MeiliError {
  if (error instanceof MeiliError) return error;
  if (error instanceof NodeCallError) return error.toMeiliError();
  if (error instanceof TaskStoreError && error.code === "store_unreachable") {
    // Nothing that needs the store went ahead: writes record their task first.
    return meiliError(
      "miroir_task_store_unavailable",
      "Miroir's task store is unreachable, so this request was not accepted and nothing was written. Searches are still served; retry once the store is back.",
    );
  }
  return meiliError("internal", "An internal error occurred in Miroir.");
}

/**
 * The one place that turns a failure into an HTTP answer: Meilisearch's error shape,
 * code, type and status; an internal failure is logged and answered as `internal`.
 */
export function errorResponse(error: unknown, logger: Logger): Response {
  return answeredError(error, logger).toResponse();
}

/** `errorResponse`'s error before it becomes a `Response`: logged when internal. */
export function answeredError(error: unknown, logger: Logger): MeiliError {
  const meili = toMeiliError(error);
  if (meili.status >= 500 && !(error instanceof MeiliError)) {
    logger.error({ err: error }, "request failed");
  }
  return meili;
}
