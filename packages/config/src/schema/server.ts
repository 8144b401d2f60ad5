import * as v from "valibot";
import {
  boolean,
  httpUrl,
  integer,
  oneOf,
  port,
  ratio,
  secret,
  section,
  setting,
  text,
} from "./fields.js";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export const serverSchema = section("The HTTP server clients talk to.", {
  host: setting(text(), "0.0.0.0", "Interface to listen on."),
  port: setting(port(), 7700, "Port of the Meilisearch-compatible API."),
  metrics_port: setting(port(), 9090, "Port of the unauthenticated Prometheus endpoint."),
  body_limit_bytes: setting(
    integer(1),
    104_857_600,
    "Largest accepted request body; larger payloads get payload_too_large.",
  ),
  header_timeout_ms: setting(
    integer(1),
    5_000,
    "Time a client has to send a request's head; a slower one gets 408 and is disconnected (as Meilisearch).",
  ),
  request_timeout_ms: setting(
    integer(1),
    300_000,
    "Time a client has to send a whole request, body included; a slower one gets 408 and is disconnected.",
  ),
  max_header_bytes: setting(
    integer(1_024),
    131_072,
    "Largest request head (request line and headers); a larger one gets 431 (as Meilisearch).",
  ),
  replicas: setting(
    integer(1),
    1,
    "Number of proxy processes sharing the task store; more than 1 needs task_store.backend redis.",
  ),
  shutdown_deadline_ms: setting(
    integer(0),
    10_000,
    "Time allowed to finish in-flight requests on SIGINT/SIGTERM.",
  ),
  log_level: setting(oneOf(LOG_LEVELS), "info", "Minimum level of JSON log lines."),
});

export const adminSchema = section("The /_miroir admin API.", {
  enabled: setting(boolean(), true, "Serve the /_miroir admin routes."),
  api_key: setting(
    secret(),
    null,
    "Key for /_miroir routes (Bearer or X-Admin-Key). Prefer MIROIR_ADMIN_API_KEY.",
  ),
});

export const connectionPoolSchema = section("Keep-alive HTTP pools from Miroir to each node.", {
  connections_per_node: setting(integer(1), 32, "Maximum open connections to one node."),
  keep_alive_timeout_ms: setting(
    integer(0),
    60_000,
    "Idle time before a pooled connection closes.",
  ),
  request_timeout_ms: setting(integer(1), 30_000, "Upper bound of any single node request."),
});

export const tracingSchema = section("OpenTelemetry traces, one span per node call.", {
  enabled: setting(boolean(), false, "Export traces; requires otlp_endpoint."),
  otlp_endpoint: setting(v.nullable(httpUrl()), null, "OTLP/HTTP collector URL."),
  service_name: setting(text(), "miroir", "service.name resource attribute."),
  sample_rate: setting(ratio(), 0.1, "Fraction of requests traced, 0..1."),
});
