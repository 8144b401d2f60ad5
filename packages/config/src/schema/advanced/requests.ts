import { boolean, integer, oneOf, ratio, section, setting } from "../fields.js";

/** Plan §13.10: Idempotency-Key on writes. */
export const idempotencySchema = section("Idempotent writes with Idempotency-Key.", {
  enabled: setting(boolean(), true, "Honour the Idempotency-Key header on writes."),
  ttl_seconds: setting(
    integer(1),
    86_400,
    "How long a key and its first answer are remembered (in the task store).",
  ),
});

/** Plan §13.10: identical concurrent searches share one scatter. */
export const queryCoalescingSchema = section("Coalescing of identical searches.", {
  enabled: setting(boolean(), true, "Share one scatter among identical concurrent searches."),
  window_ms: setting(integer(1), 50, "How long an in-flight search accepts subscribers."),
  max_subscribers: setting(integer(1), 1_000, "Subscribers of one in-flight search."),
  max_pending_queries: setting(integer(1), 10_000, "In-flight searches tracked."),
});

/** Plan §13.11: POST /multi-search. */
export const multiSearchSchema = section("Multi-search.", {
  enabled: setting(boolean(), true, "Serve POST /multi-search."),
  max_queries_per_batch: setting(integer(1), 100, "Queries allowed in one request."),
  total_timeout_ms: setting(integer(1), 30_000, "Deadline of a whole batch."),
  per_query_timeout_ms: setting(
    integer(1),
    30_000,
    "Deadline of one query; at most total_timeout_ms.",
  ),
});

/** Plan §13.12: hybrid and vector search over shards. */
export const vectorSearchSchema = section("Vector and hybrid search merging.", {
  enabled: setting(boolean(), true, "Over-fetch and merge hybrid/vector searches."),
  over_fetch_factor: setting(integer(1, 100), 3, "Per-shard limit = requested limit × factor."),
  merge_strategy: setting(
    oneOf(["convex", "rrf"]),
    "convex",
    "How keyword and semantic scores combine.",
  ),
  hybrid_alpha_default: setting(ratio(), 0.5, "Semantic weight when the query gives none."),
  rrf_k: setting(integer(1), 60, "Reciprocal rank fusion constant."),
});

/** Plan §13.20: POST /indexes/{uid}/explain. */
export const explainSchema = section("Query explain API.", {
  enabled: setting(boolean(), true, "Serve POST /indexes/{uid}/explain."),
  max_warnings: setting(integer(0), 20, "Warnings returned per plan."),
  allow_execute_parameter: setting(boolean(), true, "Accept ?execute=true."),
});
