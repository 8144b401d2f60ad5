import { randomUUID } from "node:crypto";
import { context, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { Logger } from "pino";
import type { ProxyMetrics } from "./proxy-metrics.js";

declare module "hono" {
  interface ContextVariableMap {
    /** The request's id (`requestIdOf`), set first thing by the app. */
    requestId: string;
  }
}

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
  return async (c, next) => {
    const observation = observeRequest(options, c.req.method, c.req.path);
    try {
      await observation.run(next);
    } finally {
      observation.end(routeTemplate(c), c.res.status, c.get("requestId"));
    }
  };
}

/** One request being observed (`observeRequest`). */
export interface RequestObservation {
  /** Runs the request's work under its span, so that node calls become its children. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Records the answered request: its log line, metrics and span. */
  end(template: string, status: number, requestId: string | undefined): void;
}

/**
 * What `observeRequests` does around one request, for a caller that answers the request
 * without Hono: counted in flight from now, its span (when tracing is on) started now.
 */
export function observeRequest(
  options: RequestObserverOptions,
  method: string,
  path: string,
): RequestObservation {
  const { logger, metrics, tracer } = options;
  const started = performance.now();
  metrics.requestsInFlight.inc();
  const span = tracer?.startSpan(`${method} ${path}`, {
    attributes: { "http.request.method": method },
  });
  return {
    // Without tracing there is no span to carry: no context switch per request.
    run: (work) =>
      span === undefined ? work() : context.with(trace.setSpan(context.active(), span), work),
    end(template, status, requestId) {
      metrics.requestsInFlight.dec();
      const seconds = (performance.now() - started) / 1000;
      const labels = { method, path_template: template, status: String(status) };
      metrics.requestsTotal.inc(labels);
      metrics.requestDuration.observe(labels, seconds);
      if (span !== undefined) {
        span.updateName(`${method} ${template}`);
        span.setAttributes({ "http.route": template, "http.response.status_code": status });
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
      if (logger.isLevelEnabled("info")) {
        logger.info(
          {
            requestId,
            method,
            route: template,
            status,
            durationMs: Math.round(seconds * 100_000) / 100,
          },
          "request",
        );
      }
    },
  };
}

/**
 * The request id of a request: the client's `X-Request-Id` when it is at most 255 word
 * characters, `-` or `=`, else a new UUID.
 */
export function requestIdOf(given: string | undefined): string {
  return given === undefined || given === "" || given.length > 255 || /[^\w\-=]/.test(given)
    ? randomUUID()
    : given;
}
