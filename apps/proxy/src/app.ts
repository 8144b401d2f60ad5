import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { payloadTooLarge } from "./body/read-body.js";
import type { ProxyContext } from "./context.js";
import { errorResponse } from "./errors/index.js";

/** A route family: one folder under `routes/`, mounted at the root. */
export type RouteFamily = (ctx: ProxyContext) => Hono;

/**
 * The Hono app: request ids, the early body-size check, one error handler that answers
 * in Meilisearch's shape, then every route family.
 */
export function createApp(ctx: ProxyContext, families: readonly RouteFamily[]): Hono {
  const app = new Hono();
  app.use(requestId({ headerName: "x-request-id" }));
  app.use(async (c, next) => {
    const declared = Number(c.req.header("content-length") ?? 0);
    if (declared > ctx.config.server.body_limit_bytes) {
      throw payloadTooLarge(ctx.config.server.body_limit_bytes);
    }
    await next();
  });
  for (const family of families) app.route("/", family(ctx));
  app.notFound(() => new Response(null, { status: 404 }));
  app.onError((error, c) =>
    errorResponse(error, ctx.logger.child({ requestId: c.get("requestId") })),
  );
  return app;
}
