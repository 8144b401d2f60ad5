import { context, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import {
  NodeCallError,
  type NodeClient,
  type NodeRequest,
  type NodeResponse,
} from "../node-client/index.js";
import type { ProxyMetrics } from "./proxy-metrics.js";

/**
 * The node client with every call timed (`miroir_node_request_duration_seconds`), its
 * failures counted (`miroir_node_errors_total`) and, when tracing is on, a client span
 * per call under the request's span. The operation label is the method and the first
 * path segment after the index (`POST search`, `GET tasks`), never an index name.
 */
export function observedNodeClient(
  inner: NodeClient,
  metrics: ProxyMetrics,
  tracer: Tracer | null,
): NodeClient {
  return {
    get nodeIds() {
      return inner.nodeIds;
    },
    follow: (nodes) => inner.follow(nodes),
    close: () => inner.close(),
    async call<T>(nodeId: string, request: NodeRequest): Promise<NodeResponse<T>> {
      const operation = `${request.method} ${operationOf(request.path)}`;
      const span = tracer?.startSpan(
        `node ${operation}`,
        { kind: SpanKind.CLIENT, attributes: { "miroir.node_id": nodeId } },
        context.active(),
      );
      const end = metrics.nodeRequestDuration.startTimer({ node_id: nodeId, operation });
      try {
        const response =
          span === undefined
            ? await inner.call<T>(nodeId, request)
            : await context.with(trace.setSpan(context.active(), span), () =>
                inner.call<T>(nodeId, request),
              );
        if (response.status >= 500) {
          metrics.nodeErrors.inc({ node_id: nodeId, error_type: "server_error" });
        }
        span?.setAttribute("http.response.status_code", response.status);
        return response;
      } catch (error) {
        const errorType = error instanceof NodeCallError ? error.reason : "client";
        // A canceled call is the proxy's choice (its hedge answered first), not the node's error.
        if (errorType !== "canceled") {
          metrics.nodeErrors.inc({ node_id: nodeId, error_type: errorType });
        }
        span?.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
        throw error;
      } finally {
        end();
        span?.end();
      }
    },
  };
}

/** `/indexes/movies/search` → `search`; `/tasks/12` → `tasks`; `/indexes/movies` → `indexes`. */
export function operationOf(path: string): string {
  let operation = operations.get(path);
  if (operation === undefined) {
    const segments = path.split("?")[0]?.split("/").filter(Boolean) ?? [];
    operation =
      segments[0] === "indexes" && segments.length >= 3
        ? (segments[2] as string)
        : (segments[0] ?? "root");
    // Paths repeat (one per index and route): kept, within a bound, for the next call.
    if (operations.size >= 1_024) operations.clear();
    operations.set(path, operation);
  }
  return operation;
}

const operations = new Map<string, string>();
