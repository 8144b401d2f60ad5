import type { Tracer } from "@opentelemetry/api";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { authenticate } from "./auth/index.js";
import { payloadTooLarge } from "./body/read-body.js";
import type { ProxyContext } from "./context.js";
import { errorResponse } from "./errors/index.js";
import { observeRequests } from "./observability/index.js";

/** A route family: one folder under `routes/`, mounted at the root. */
export type RouteFamily = (ctx: ProxyContext) => Hono;

/**
 * The Hono app: request ids, request logs/metrics/spans, the early body-size check,
 * Meilisearch's key checks, one error handler that answers in Meilisearch's shape, then
 * every route family.
 */
export function createApp(
  ctx: ProxyContext,
  families: readonly RouteFamily[],
  tracer: Tracer | null = null,
): Hono {
  const app = new Hono();
  app.use(requestId({ headerName: "x-request-id" }));
  app.use(observeRequests({ logger: ctx.logger, metrics: ctx.metrics, tracer }));
  app.use(async (c, next) => {
    const declared = Number(c.req.header("content-length") ?? 0);
    if (declared > ctx.config.server.body_limit_bytes) {
      throw payloadTooLarge(ctx.config.server.body_limit_bytes);
    }
    await next();
  });
  app.use(
    authenticate({
      masterKey: ctx.config.master_key,
      keys: ctx.keys,
      bodyLimitBytes: ctx.config.server.body_limit_bytes,
    }),
  );
  for (const family of families) app.route("/", family(ctx));
  app.notFound(() => new Response(null, { status: 404 }));
  app.onError((error, c) =>
    errorResponse(error, ctx.logger.child({ requestId: c.get("requestId") })),
  );
  return app;
}
