import { boolean, integer, oneOf, section, setting } from "./fields.js";

export const healthSchema = section("Probing of node health.", {
  interval_ms: setting(integer(100), 2_000, "Time between probes of one node."),
  timeout_ms: setting(
    integer(1),
    1_000,
    "A probe slower than this fails; must be below interval_ms.",
  ),
  unhealthy_threshold: setting(
    integer(1),
    3,
    "Consecutive failed probes before a node is unreachable.",
  ),
  recovery_threshold: setting(
    integer(1),
    2,
    "Consecutive good probes before an unreachable node is healthy again.",
  ),
});

export const scatterSchema = section("Fan-out of reads to the covering set.", {
  node_timeout_ms: setting(integer(1), 5_000, "Per-node deadline of a search."),
  unavailable_shard_policy: setting(
    oneOf(["partial", "error"]),
    "partial",
    "partial: answer 200 with X-Miroir-Degraded; error: 503 miroir_shard_unavailable.",
  ),
  retry_other_replica: setting(
    boolean(),
    true,
    "Retry a failed node's shards on another replica of the group.",
  ),
  fallback_other_group: setting(boolean(), true, "Then retry uncovered shards in another group."),
});

export const rebalancerSchema = section("Moving shards when the fleet changes.", {
  enabled: setting(boolean(), true, "Run migrations after node add, drain and remove."),
  page_size: setting(integer(1, 100_000), 1_000, "Documents per page copied from a source node."),
  max_concurrent_shards: setting(integer(1), 2, "Shards migrated at the same time."),
  max_docs_per_sec: setting(
    integer(0),
    20_000,
    "Documents copied per second by one migration, across its shards; 0 for no limit.",
  ),
  cleanup_grace_ms: setting(
    integer(0),
    60_000,
    "Time between a migration's cut-over and the deletion of the moved shards from their old owners.",
  ),
  lease_ms: setting(
    integer(100),
    15_000,
    "Lease on the running migration; another process resumes it this long after its runner died.",
  ),
});
