import { context, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { Logger } from "pino";
import type { ProxyMetrics } from "./proxy-metrics.js";

export interface RequestObserverOptions {
  readonly logger: Logger;
  readonly metrics: ProxyMetrics;
  /** Null when tracing is off. */
  readonly tracer: Tracer | null;
}

/**
 * The route template that answered (`/indexes/:uid/search`), so that labels and log lines
 * never carry index names or ids; `unmatched` for a 404 no route claimed.
 */
export function routeTemplate(c: Context): string {
  const handlers = matchedRoutes(c).filter((route) => route.method !== "ALL");
  return handlers.at(-1)?.path ?? "unmatched";
}

/**
 * One JSON log line per request (request id, method, route template, status, duration),
 * the request metrics, and a server span (when tracing is on) that every node call made
 * while answering becomes a child of. Must run after the request-id middleware.
 */
export function observeRequests(options: RequestObserverOptions): MiddlewareHandler {
  const { logger, metrics, tracer } = options;
  return async (c, next) => {
    const started = performance.now();
    metrics.requestsInFlight.inc();
    const span = tracer?.startSpan(`${c.req.method} ${c.req.path}`, {
      attributes: { "http.request.method": c.req.method },
    });
    try {
      // Without tracing there is no span to carry: no context switch per request.
      if (span === undefined) await next();
      else await context.with(trace.setSpan(context.active(), span), next);
    } finally {
      metrics.requestsInFlight.dec();
      const template = routeTemplate(c);
      const status = c.res.status;
      const seconds = (performance.now() - started) / 1000;
      const labels = { method: c.req.method, path_template: template, status: String(status) };
      metrics.requestsTotal.inc(labels);
      metrics.requestDuration.observe(labels, seconds);
      if (span !== undefined) {
        span.updateName(`${c.req.method} ${template}`);
        span.setAttributes({ "http.route": template, "http.response.status_code": status });
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
      if (logger.isLevelEnabled("info")) {
        logger.info(
          {
            requestId: c.get("requestId"),
            method: c.req.method,
            route: template,
            status,
            durationMs: Math.round(seconds * 100_000) / 100,
          },
          "request",
        );
      }
    }
  };
}
