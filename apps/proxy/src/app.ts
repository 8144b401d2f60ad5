import type { Tracer } from "@opentelemetry/api";
import { Hono } from "hono";
import { aliasUseOf } from "./aliases/alias-table.js";
import { authenticate } from "./auth/index.js";
import { payloadTooLarge } from "./body/read-body.js";
import type { ProxyContext } from "./context.js";
import { errorResponse } from "./errors/index.js";
import { idempotentWrites } from "./guarantees/idempotency.js";
import { readYourWrites } from "./guarantees/sessions.js";
import { observeRequests, requestIdOf } from "./observability/index.js";
import { resolvingAliases } from "./routes/alias-resolution.js";
import { readHealth } from "./scatter/read-scope.js";
import { widestTopology } from "./topology/index-shards.js";

/** A route family: one folder under `routes/`, mounted at the root. */
export type RouteFamily = (ctx: ProxyContext) => Hono;

/** A Hono route path (`/indexes/:indexUid/search`, `/assets/*`) as a regular expression. */
function routePattern(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) =>
      segment.startsWith(":")
        ? "[^/]+"
        : segment === "*"
          ? ".*"
          : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^${source}$`);
}

/**
 * The Hono app: aliases resolved to their indexes (before anything else), request ids, request logs/metrics/spans, the early body-size check,
 * Meilisearch's key checks, read-your-writes sessions (`X-Miroir-Session`), idempotent writes (`Idempotency-Key`),
 * one error handler that answers in Meilisearch's shape, then
 * every route family.
 */
export function createApp(
  ctx: ProxyContext,
  families: readonly RouteFamily[],
  tracer: Tracer | null = null,
): Hono {
  const app = new Hono();
  app.use(async (c, next) => {
    const id = requestIdOf(c.req.header("x-request-id"));
    c.set("requestId", id);
    c.header("x-request-id", id);
    await next();
  });
  app.use(observeRequests({ logger: ctx.logger, metrics: ctx.metrics, tracer }));
  app.use(async (c, next) => {
    const declared = Number(c.req.header("content-length") ?? 0);
    // A dump upload is streamed to disk, never buffered: the body limit is not its bound.
    const upload = c.req.method === "POST" && c.req.path === "/_miroir/dumps/import";
    if (!upload && declared > ctx.config.server.body_limit_bytes) {
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
  app.use(async (c, next) => {
    // Known only now that the caller is authenticated: a request the alias cannot take.
    const refusal = aliasUseOf(c.env)?.refusal;
    if (refusal) throw refusal;
    await next();
  });
  const sessions = ctx.config.session_pinning;
  if (sessions.enabled) {
    app.use(
      readYourWrites({
        store: ctx.taskStore,
        nodes: ctx.nodes,
        fleet: () => ({
          topology: widestTopology(ctx),
          health: readHealth(ctx.cluster.health, ctx.convergence.handoff.recovering()),
        }),
        ttlMs: sessions.ttl_seconds * 1000,
        strategy: sessions.wait_strategy,
        maxWaitMs: sessions.max_wait_ms,
      }),
    );
  }
  if (ctx.config.idempotency.enabled) {
    app.use(
      idempotentWrites({
        keys: ctx.taskStore.idempotencyKeys,
        ttlMs: ctx.config.idempotency.ttl_seconds * 1000,
        bodyLimitBytes: ctx.config.server.body_limit_bytes,
      }),
    );
  }
  // These sub-resources take POST only; Meilisearch never reads them as document ids.
  app.on(
    ["GET", "DELETE"],
    "/indexes/:indexUid/documents/:action{fetch|delete|delete-batch|edit}",
    () => new Response(null, { status: 405 }),
  );
  for (const family of families) app.route("/", family(ctx));
  const served = app.routes
    .filter((route) => route.method !== "ALL")
    .map((route) => routePattern(route.path));
  // As Meilisearch: a path served under other methods is 405, any other 404; no body.
  app.notFound((c) => {
    const known = served.some((pattern) => pattern.test(c.req.path));
    return new Response(null, { status: known ? 405 : 404 });
  });
  app.onError((error, c) =>
    errorResponse(error, ctx.logger.child({ requestId: c.get("requestId") })),
  );
  // Both the server and `app.request` go through `fetch`: every request resolves here.
  app.fetch = resolvingAliases(ctx, app.fetch) as typeof app.fetch;
  return app;
}
