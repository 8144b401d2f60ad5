export { recordFleetHealth } from "./fleet-metrics.js";
export { type MetricsServer, startMetricsServer } from "./metrics-server.js";
export { observedNodeClient, operationOf } from "./observed-node-client.js";
export { observedTaskStore } from "./observed-task-store.js";
export {
  createProxyMetrics,
  type ProxyMetrics,
  type ProxyMetricsOptions,
} from "./proxy-metrics.js";
export {
  observeRequest,
  observeRequests,
  type RequestObservation,
  type RequestObserverOptions,
  requestIdOf,
  routeTemplate,
} from "./request-observer.js";
export { countTasksByStatus, oldestTaskAges } from "./task-metrics.js";
export { startTracing, type Tracing, type TracingConfig, tracesUrl } from "./tracing.js";
