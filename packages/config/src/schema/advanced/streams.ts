import * as v from "valibot";
import {
  boolean,
  httpUrl,
  integer,
  oneOf,
  ratio,
  section,
  setting,
  text,
  urlWithScheme,
} from "../fields.js";

const described = <TSchema extends v.GenericSchema>(schema: TSchema, description: string) =>
  v.pipe(schema, v.description(description));

const includeBody = () => setting(boolean(), false, "Put the document body in each event.");

const webhookSink = v.strictObject({
  type: described(v.literal("webhook"), "HTTP POST of event batches."),
  url: described(httpUrl(), "Endpoint receiving the batches."),
  batch_size: setting(integer(1), 100, "Events per POST."),
  batch_flush_ms: setting(integer(1), 1_000, "Longest wait before a partial batch is sent."),
  include_body: includeBody(),
  retry_max_s: setting(integer(0), 3_600, "Give up retrying a batch after this many seconds."),
});

const natsSink = v.strictObject({
  type: described(v.literal("nats"), "Publish to the NATS subject {subject_prefix}.{index}."),
  url: described(urlWithScheme(["nats", "tls"]), "NATS server URL (nats:// or tls://)."),
  subject_prefix: setting(text(), "miroir.cdc", "Subject prefix."),
  include_body: includeBody(),
});

const kafkaSink = v.strictObject({
  type: described(v.literal("kafka"), "Produce to the Kafka topic {topic_prefix}.{index}."),
  brokers: described(
    v.pipe(v.array(text()), v.minLength(1, "list at least one broker host:port")),
    "Bootstrap brokers as host:port.",
  ),
  topic_prefix: setting(text(), "miroir.cdc", "Topic prefix."),
  include_body: includeBody(),
});

const internalSink = v.strictObject({
  type: described(v.literal("internal"), "Long-poll feed at GET /_miroir/changes."),
  include_body: includeBody(),
});

export const cdcSinkSchema = v.variant(
  "type",
  [webhookSink, natsSink, kafkaSink, internalSink],
  "type must be one of webhook | nats | kafka | internal",
);

/** Plan §13.13: change events after each acknowledged write. */
export const cdcSchema = section("Change data capture.", {
  enabled: setting(boolean(), false, "Publish change events; needs at least one sink."),
  sinks: setting(
    v.array(cdcSinkSchema),
    [],
    "Destinations: { type: webhook, url } | { type: nats, url } | { type: kafka, brokers } | { type: internal }.",
  ),
  buffer: section("Buffering while a sink is slow or down.", {
    primary: setting(oneOf(["memory", "redis", "pvc"]), "memory", "First buffer tier."),
    memory_bytes: setting(integer(1_024), 67_108_864, "In-memory buffer per process."),
    overflow: setting(
      oneOf(["redis", "pvc", "drop"]),
      "drop",
      "Spill tier; redis needs task_store.backend redis.",
    ),
    redis_bytes: setting(integer(1_024), 1_073_741_824, "Redis overflow budget per sink."),
  }),
  emit_ttl_deletes: setting(boolean(), false, "Publish deletes done by the TTL sweeper."),
  emit_internal_writes: setting(
    boolean(),
    false,
    "Publish anti-entropy, reshard and rollover writes (debugging).",
  ),
});

const shadowTarget = v.strictObject({
  name: v.pipe(text(), v.description("Unique name of the target.")),
  url: httpUrl(),
  api_key_env: v.optional(v.nullable(text()), null),
  sample_rate: v.optional(ratio(), 0.05),
  operations: v.optional(
    v.array(
      v.picklist(
        ["search", "multi_search", "explain"],
        "must be one of search | multi_search | explain",
      ),
    ),
    ["search", "multi_search", "explain"],
  ),
});

/** Plan §13.16: tee a sample of reads to another cluster and diff the answers. */
export const shadowSchema = section("Traffic shadowing to another cluster.", {
  enabled: setting(
    boolean(),
    false,
    "Send sampled reads to the targets; writes are never shadowed.",
  ),
  targets: setting(
    v.array(shadowTarget),
    [],
    "Targets: { name, url, api_key_env, sample_rate, operations }; names unique.",
  ),
  diff_buffer_size: setting(integer(1), 10_000, "Diffs kept in memory for /_miroir/shadow/diff."),
  max_shadow_latency_ms: setting(integer(1), 5_000, "Abandon a shadow request after this."),
});

/** Plan §13.18: scheduled queries with golden assertions. */
export const canaryRunnerSchema = section("Synthetic canary queries.", {
  enabled: setting(boolean(), true, "Run the registered canaries."),
  max_concurrent_canaries: setting(integer(1), 10, "Canaries running at once."),
  run_history_per_canary: setting(integer(1), 100, "Runs kept per canary."),
  emit_results_to_cdc: setting(
    boolean(),
    true,
    "Publish canary results as change events when CDC is on.",
  ),
});
