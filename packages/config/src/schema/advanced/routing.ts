import * as v from "valibot";
import {
  boolean,
  integer,
  oneOf,
  positiveNumber,
  ratio,
  section,
  setting,
  text,
} from "../fields.js";

/** Plan §13.2: duplicate a slow node read on another replica. */
export const hedgingSchema = section("Hedged reads against tail latency.", {
  enabled: setting(boolean(), true, "Hedge slow node reads on another replica."),
  p95_trigger_multiplier: setting(
    positiveNumber(),
    1.2,
    "Hedge after this multiple of the node's recent p95 answer time.",
  ),
  min_trigger_ms: setting(integer(1), 15, "Never hedge sooner than this."),
  max_trigger_ms: setting(
    integer(1),
    500,
    "Hedge after at most this long, and after this long while a node has no p95 yet.",
  ),
  max_hedges_per_query: setting(integer(0), 2, "Hedged node requests allowed per search."),
  budget_ratio: setting(
    ratio(),
    0.1,
    "Hedged node requests allowed per node request sent, over time (0.1: at most 10% more).",
  ),
  cross_group_fallback: setting(boolean(), true, "Allow hedging into another replica group."),
});

/** Plan §13.3: choose the replica with the best latency score. */
export const replicaSelectionSchema = section("Choice of replica inside a group.", {
  enabled: setting(
    boolean(),
    true,
    "Choose replicas by strategy; false rotates among replicas by query sequence.",
  ),
  strategy: setting(
    oneOf(["adaptive", "round_robin", "random"]),
    "adaptive",
    "adaptive takes the replica of least cost: smoothed latency × (latency_weight + inflight_weight × requests in flight + error_weight × error rate).",
  ),
  latency_weight: setting(positiveNumber(), 1.0, "Cost of the latency itself, in latencies."),
  inflight_weight: setting(positiveNumber(), 2.0, "Cost of each request in flight, in latencies."),
  error_weight: setting(positiveNumber(), 10.0, "Cost of an error rate of 1, in latencies."),
  ewma_half_life_ms: setting(
    integer(1),
    5_000,
    "Half-life of the smoothed latency and error rate (each answer moves them at least 1/64 of the way).",
  ),
  exploration_epsilon: setting(
    ratio(),
    0.05,
    "Share of reads that ignore the costs and take the replicas in turn, so a recovered replica is tried again.",
  ),
});

/** Plan §13.4: send primary-key filtered searches to the owning shards only. */
export const queryPlannerSchema = section("Shard narrowing of primary-key filters.", {
  enabled: setting(boolean(), true, "Narrow searches filtered on the primary key."),
  max_pk_literals_narrowable: setting(integer(1), 128, "Largest IN list that is still narrowed."),
  log_plans: setting(boolean(), false, "Log every narrowing decision."),
});

/** Plan §13.6: read-your-writes through X-Miroir-Session. */
export const sessionPinningSchema = section("Read-your-writes sessions.", {
  enabled: setting(boolean(), true, "Honour the X-Miroir-Session header."),
  ttl_seconds: setting(integer(1), 900, "Idle lifetime of a session (each write extends it)."),
  wait_strategy: setting(
    oneOf(["block", "route_pin"]),
    "block",
    "block: a read waits (up to max_wait_ms) until replicas that processed the session's last write can answer it; route_pin: it never waits, only prefers such replicas.",
  ),
  max_wait_ms: setting(integer(0), 5_000, "Longest wait of a blocked read."),
});

/** Plan §13.15: pin each tenant's reads to a replica group. */
export const tenantAffinitySchema = section("Tenant to replica-group affinity.", {
  enabled: setting(boolean(), false, "Route each tenant's reads to its group."),
  mode: setting(
    oneOf(["header", "api_key", "explicit"]),
    "header",
    "How the tenant is found: a header, the API key mapping, or static_map only.",
  ),
  header_name: setting(text(), "X-Miroir-Tenant", "Header carrying the tenant id in header mode."),
  fallback: setting(
    oneOf(["hash", "random", "reject"]),
    "hash",
    "Routing of tenants absent from static_map.",
  ),
  static_map: setting(
    v.record(v.string(), integer(0)),
    {},
    "Tenant id → replica group; every group must exist.",
  ),
  dedicated_groups: setting(
    v.array(integer(0)),
    [],
    "Groups that serve only tenants mapped to them in static_map.",
  ),
});
