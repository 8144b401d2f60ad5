import * as v from "valibot";
import {
  boolean,
  integer,
  oneOf,
  reservedField,
  schedule,
  section,
  setting,
  timeWindows,
} from "../fields.js";

/** Change an index's shard count online: a new index filled, compared, then switched to. */
export const reshardingSchema = section("Online resharding through a new index.", {
  enabled: setting(boolean(), true, "Allow POST /_miroir/indexes/{uid}/reshard."),
  backfill_concurrency: setting(integer(1), 4, "Old shards copied at the same time."),
  backfill_batch_size: setting(integer(1, 100_000), 1_000, "Documents per copy batch."),
  throttle_docs_per_sec: setting(integer(0), 0, "Copy rate cap; 0 means unlimited."),
  verify_before_swap: setting(
    boolean(),
    true,
    "Compare old and new (primary keys and versions) before the switch.",
  ),
  retain_old_index_hours: setting(
    integer(0),
    48,
    "Hours the old index is kept after the switch; 0 deletes it 10 s after.",
  ),
  maintenance_windows: setting(
    timeWindows(),
    [],
    'Daily UTC windows ("02:00-04:00") a reshard may copy and switch in; empty means any time.',
  ),
});

/** Plan §13.5: propose, verify and commit settings on every node. */
export const settingsBroadcastSchema = section("Settings broadcast to every node.", {
  enabled: setting(
    boolean(),
    true,
    "Version committed settings: stamp X-Miroir-Settings-Version, honour X-Miroir-Min-Settings-Version.",
  ),
  strategy: setting(
    oneOf(["two_phase", "sequential"]),
    "two_phase",
    "two_phase proposes, verifies by read-back and commits; sequential is the legacy path.",
  ),
  verify_timeout_s: setting(integer(1), 60, "Deadline of the verify phase."),
  max_repair_retries: setting(
    integer(0),
    3,
    "Re-applications of diverging settings before giving up.",
  ),
  freeze_writes_on_unrepairable: setting(
    boolean(),
    true,
    "Refuse writes to an index whose settings could not be repaired.",
  ),
});

export const settingsDriftCheckSchema = section("Background check of node settings.", {
  enabled: setting(boolean(), true, "Compare node settings hashes in the background."),
  interval_s: setting(integer(1), 300, "Time between settings hash comparisons."),
  auto_repair: setting(boolean(), true, "Re-apply the committed settings on drift."),
});

/** Plan §13.7: stable names that point at concrete indexes. */
export const aliasesSchema = section("Index aliases.", {
  enabled: setting(boolean(), true, "Resolve aliases on every client route."),
  history_retention: setting(integer(0), 10, "Past flips remembered per alias."),
  require_target_exists: setting(boolean(), true, "Refuse aliases to unknown indexes."),
});

/** Plan §13.8: find and repair diverging replicas. */
export const antiEntropySchema = section("Anti-entropy shard reconciler.", {
  enabled: setting(
    boolean(),
    true,
    "Compare replicas and repair them; reserves _miroir_updated_at in documents.",
  ),
  schedule: setting(
    schedule(),
    "every 6h",
    'When passes run: "every <duration>" or "HH:MM-HH:MM".',
  ),
  shards_per_pass: setting(integer(0), 0, "Shards scanned per pass; 0 means all."),
  max_read_concurrency: setting(integer(1), 2, "Parallel fingerprint reads."),
  fingerprint_batch_size: setting(integer(1, 100_000), 1_000, "Documents per fingerprint page."),
  auto_repair: setting(boolean(), true, "Repair divergence; false only reports it."),
  max_docs_per_sec: setting(
    integer(0),
    0,
    "Documents fingerprinted per second by background passes; 0 means unlimited.",
  ),
  max_hints_per_node: setting(
    integer(1),
    10_000,
    "Hints kept for one node; past it the node is marked for a full repair of its shards instead.",
  ),
  tombstone_retention_hours: setting(
    integer(1),
    168,
    "How long deleted ids are remembered, so a stale replica never brings one back.",
  ),
  updated_at_field: setting(
    reservedField(),
    "_miroir_updated_at",
    "Document field holding the write clock.",
  ),
});

/** Importing Meilisearch dumps: documents routed to their shards as the dump streams in. */
export const dumpImportSchema = section("Streaming dump import.", {
  enabled: setting(
    boolean(),
    true,
    "Serve POST /_miroir/dumps/import (and GET /_miroir/dumps/import/{id}).",
  ),
  batch_size: setting(integer(1, 100_000), 1_000, "Documents per write sent through the cluster."),
  parallel_target_writes: setting(
    integer(1),
    8,
    "Batches written but not yet processed by the nodes before the import waits for the oldest.",
  ),
  memory_buffer_bytes: setting(
    integer(1_048_576),
    134_217_728,
    "Cap on the documents those batches hold together (a batch is cut earlier when it is reached).",
  ),
  spool_dir: setting(
    v.string(),
    "",
    "Where an uploaded dump is kept while it is imported (empty: the system temporary directory).",
  ),
});

/** Plan §13.14: documents that expire. */
export const ttlSchema = section("Document expiry.", {
  enabled: setting(
    boolean(),
    true,
    "Sweep expired documents; reserves _miroir_expires_at in documents.",
  ),
  sweep_interval_s: setting(integer(1), 300, "Time between sweeps."),
  max_deletes_per_sweep: setting(integer(1), 10_000, "Deletes per sweep and index."),
  expires_at_field: setting(
    reservedField(),
    "_miroir_expires_at",
    "Document field holding the expiry (ms).",
  ),
  per_index_overrides: setting(
    v.record(
      v.string(),
      v.strictObject({
        sweep_interval_s: v.optional(integer(1)),
        max_deletes_per_sweep: v.optional(integer(1)),
      }),
    ),
    {},
    "Index uid → { sweep_interval_s, max_deletes_per_sweep }.",
  ),
});

/** Plan §13.17: rolling time-series indexes. */
export const ilmSchema = section("Index lifecycle management.", {
  enabled: setting(boolean(), true, "Evaluate rollover policies."),
  check_interval_s: setting(integer(1), 3_600, "Time between policy evaluations."),
  safety_lock_older_than_days: setting(integer(0), 7, "Never delete indexes younger than this."),
  max_rollovers_per_check: setting(integer(1), 10, "Rollovers done per evaluation."),
});
