import { describe, expect, it } from "vitest";
import type { ConfigIssue } from "../issues/config-error.js";
import { validate } from "../parse-config.js";

const nodes = [
  { id: "a", address: "http://a:7700", replica_group: 0 },
  { id: "b", address: "http://b:7700", replica_group: 1 },
];
const redis = { backend: "redis", url: "redis://127.0.0.1:6379" };

type RuleCase = {
  rule: string;
  passing: Record<string, unknown>;
  failing: Record<string, unknown>;
  issue: ConfigIssue;
};

const CASES: RuleCase[] = [
  {
    rule: "several proxy replicas need the redis task store",
    passing: { server: { replicas: 3 }, task_store: redis },
    failing: { server: { replicas: 3 } },
    issue: {
      path: "task_store.backend",
      message:
        'is "sqlite" but server.replicas is 3; several proxy processes must share a redis task store (set task_store.backend: redis and task_store.url)',
    },
  },
  {
    rule: "leader election needs the redis task store",
    passing: { leader_election: { enabled: true }, task_store: redis },
    failing: { leader_election: { enabled: true } },
    issue: {
      path: "task_store.backend",
      message:
        'is "sqlite" but leader_election.enabled is true; the leader lease lives in redis (set task_store.backend: redis or disable leader_election)',
    },
  },
  {
    rule: "the redis backend needs a URL",
    passing: { task_store: redis },
    failing: { task_store: { backend: "redis" } },
    issue: {
      path: "task_store.url",
      message: 'is required when task_store.backend is redis, e.g. "redis://127.0.0.1:6379"',
    },
  },
  {
    rule: "the API and metrics ports differ",
    passing: { server: { port: 8080, metrics_port: 8081 } },
    failing: { server: { port: 8080, metrics_port: 8080 } },
    issue: {
      path: "server.metrics_port",
      message: "is 8080, the same as server.port; the metrics endpoint needs a port of its own",
    },
  },
  {
    rule: "a health probe ends before the next one starts",
    passing: { health: { interval_ms: 1000, timeout_ms: 999 } },
    failing: { health: { interval_ms: 1000, timeout_ms: 1000 } },
    issue: {
      path: "health.timeout_ms",
      message: "is 1000 but must be below health.interval_ms (1000) so probes never overlap",
    },
  },
  {
    rule: "tracing needs a collector endpoint",
    passing: { tracing: { enabled: true, otlp_endpoint: "http://127.0.0.1:4318" } },
    failing: { tracing: { enabled: true } },
    issue: {
      path: "tracing.otlp_endpoint",
      message: 'is required when tracing.enabled is true, e.g. "http://127.0.0.1:4318"',
    },
  },
  {
    rule: "the leader lease is renewed before it lapses",
    passing: { leader_election: { lease_ttl_s: 10, renew_interval_s: 9 } },
    failing: { leader_election: { lease_ttl_s: 10, renew_interval_s: 10 } },
    issue: {
      path: "leader_election.renew_interval_s",
      message:
        "is 10 but must be below leader_election.lease_ttl_s (10) or the lease lapses between renewals",
    },
  },
  {
    rule: "autoscaling needs at least two replicas",
    passing: { hpa: { enabled: true }, server: { replicas: 2 }, task_store: redis },
    failing: { hpa: { enabled: true }, task_store: redis },
    issue: { path: "hpa.enabled", message: "needs server.replicas of at least 2 (it is 1)" },
  },
  {
    rule: "autoscaling bounds are ordered",
    passing: { hpa: { min_replicas: 4, max_replicas: 4 } },
    failing: { hpa: { min_replicas: 4, max_replicas: 3 } },
    issue: { path: "hpa.max_replicas", message: "is 3 but must be at least hpa.min_replicas (4)" },
  },
  {
    rule: "one multi-search query fits in the batch deadline",
    passing: { multi_search: { total_timeout_ms: 1000, per_query_timeout_ms: 1000 } },
    failing: { multi_search: { total_timeout_ms: 1000, per_query_timeout_ms: 1001 } },
    issue: {
      path: "multi_search.per_query_timeout_ms",
      message: "is 1001 but must not exceed multi_search.total_timeout_ms (1000)",
    },
  },
  {
    rule: "change capture needs a sink",
    passing: { cdc: { enabled: true, sinks: [{ type: "internal" }] } },
    failing: { cdc: { enabled: true } },
    issue: { path: "cdc.sinks", message: "must list at least one sink when cdc.enabled is true" },
  },
  {
    rule: "a redis change buffer needs the redis task store",
    passing: {
      cdc: { enabled: true, sinks: [{ type: "internal" }], buffer: { overflow: "redis" } },
      task_store: redis,
    },
    failing: {
      cdc: { enabled: true, sinks: [{ type: "internal" }], buffer: { overflow: "redis" } },
    },
    issue: {
      path: "cdc.buffer",
      message:
        'uses redis but task_store.backend is not redis; choose memory/pvc and overflow "pvc" or "drop", or use a redis task store',
    },
  },
  {
    rule: "shadowing needs a target",
    passing: { shadow: { enabled: true, targets: [{ name: "s", url: "http://s:7700" }] } },
    failing: { shadow: { enabled: true } },
    issue: {
      path: "shadow.targets",
      message: "must list at least one target when shadow.enabled is true",
    },
  },
  {
    rule: "shadow target names are unique",
    passing: {
      shadow: {
        targets: [
          { name: "s", url: "http://s:7700" },
          { name: "t", url: "http://t:7700" },
        ],
      },
    },
    failing: {
      shadow: {
        targets: [
          { name: "s", url: "http://s:7700" },
          { name: "s", url: "http://t:7700" },
        ],
      },
    },
    issue: {
      path: "shadow.targets[1].name",
      message: '"s" is already used by another target; names must be unique',
    },
  },
  {
    rule: "the search UI key rotates before it expires",
    passing: {
      search_ui: { scoped_key_max_age_days: 30, scoped_key_rotate_before_expiry_days: 29 },
    },
    failing: {
      search_ui: { scoped_key_max_age_days: 30, scoped_key_rotate_before_expiry_days: 30 },
    },
    issue: {
      path: "search_ui.scoped_key_rotate_before_expiry_days",
      message:
        "is 30 but must be below search_ui.scoped_key_max_age_days (30) or keys rotate continuously",
    },
  },
  {
    rule: "several replicas share the search UI rate limit",
    passing: {
      search_ui: { enabled: true, rate_limit: { backend: "redis" } },
      server: { replicas: 2 },
      task_store: redis,
    },
    failing: { search_ui: { enabled: true }, server: { replicas: 2 }, task_store: redis },
    issue: {
      path: "search_ui.rate_limit.backend",
      message:
        'is "local" but server.replicas is 2; per-process buckets multiply the limit, use redis',
    },
  },
  {
    rule: "a redis rate limit needs the redis task store",
    passing: { search_ui: { enabled: true, rate_limit: { backend: "local" } } },
    failing: { search_ui: { enabled: true, rate_limit: { backend: "redis" } } },
    issue: {
      path: "search_ui.rate_limit.backend",
      message: 'is "redis" but task_store.backend is not redis; use "local" or a redis task store',
    },
  },
  {
    rule: "shared-key search UI names its key variable",
    passing: {
      search_ui: { enabled: true, auth: { mode: "shared_key", shared_key_env: "UI_KEY" } },
    },
    failing: { search_ui: { enabled: true, auth: { mode: "shared_key" } } },
    issue: {
      path: "search_ui.auth.shared_key_env",
      message: "must name the environment variable holding the shared key in shared_key mode",
    },
  },
  {
    rule: "the write clock and the expiry are different fields",
    passing: { ttl: { expires_at_field: "_miroir_ttl" } },
    failing: { ttl: { expires_at_field: "_miroir_updated_at" } },
    issue: {
      path: "ttl.expires_at_field",
      message:
        'is "_miroir_updated_at", the same field as anti_entropy.updated_at_field; the expiry and the write clock need fields of their own',
    },
  },
  {
    rule: "no Miroir field reuses the shard field",
    passing: { anti_entropy: { updated_at_field: "_miroir_clock" } },
    failing: { anti_entropy: { updated_at_field: "_miroir_shard" } },
    issue: {
      path: "anti_entropy.updated_at_field",
      message: "must not be _miroir_shard, which holds each document's shard",
    },
  },
  {
    rule: "the expiry does not reuse the shard field",
    passing: { ttl: { expires_at_field: "_miroir_expiry" } },
    failing: { ttl: { expires_at_field: "_miroir_shard" } },
    issue: {
      path: "ttl.expires_at_field",
      message: "must not be _miroir_shard, which holds each document's shard",
    },
  },
  {
    rule: "the admin UI needs the admin API",
    passing: { admin: { enabled: false }, admin_ui: { enabled: false } },
    failing: { admin: { enabled: false } },
    issue: {
      path: "admin_ui.enabled",
      message: "needs admin.enabled: true (the UI drives the admin API)",
    },
  },
  {
    rule: "tenants map to existing groups",
    passing: { tenant_affinity: { static_map: { acme: 1 } } },
    failing: { tenant_affinity: { static_map: { acme: 2 } } },
    issue: {
      path: "tenant_affinity.static_map.acme",
      message: "is group 2, which does not exist; groups are 0..1",
    },
  },
  {
    rule: "dedicated groups exist",
    passing: { tenant_affinity: { dedicated_groups: [1] } },
    failing: { tenant_affinity: { dedicated_groups: [5] } },
    issue: {
      path: "tenant_affinity.dedicated_groups[0]",
      message: "is group 5, which does not exist; groups are 0..1",
    },
  },
  {
    rule: "one group stays shared among tenants",
    passing: { tenant_affinity: { enabled: true, dedicated_groups: [0] } },
    failing: { tenant_affinity: { enabled: true, dedicated_groups: [0, 1] } },
    issue: {
      path: "tenant_affinity.dedicated_groups",
      message: "dedicates every replica group; leave at least one group for unmapped tenants",
    },
  },
  {
    rule: "explicit tenant mode has a map",
    passing: { tenant_affinity: { enabled: true, mode: "explicit", static_map: { acme: 0 } } },
    failing: { tenant_affinity: { enabled: true, mode: "explicit" } },
    issue: {
      path: "tenant_affinity.static_map",
      message: "must map at least one tenant to a group in explicit mode",
    },
  },
];

describe("cross-field rules", () => {
  describe.each(CASES)("$rule", ({ passing, failing, issue }) => {
    it("accepts a configuration that follows it", () => {
      expect(validate({ replica_groups: 2, nodes, ...passing })).toEqual([]);
    });

    it("rejects a configuration that breaks it, naming the key and the fix", () => {
      expect(validate({ replica_groups: 2, nodes, ...failing })).toEqual([issue]);
    });
  });
});

describe("reserved document fields", () => {
  it("rejects a field outside the _miroir_ prefix", () => {
    expect(validate({ nodes, replica_groups: 2, ttl: { expires_at_field: "expires_at" } })).toEqual(
      [
        {
          path: "ttl.expires_at_field",
          message:
            'must be a reserved field name: "_miroir_" followed by a-z, 0-9 or _ (got "expires_at")',
        },
      ],
    );
  });
});

describe("time expressions in the schema", () => {
  it("accepts an anti-entropy schedule as an interval or a daily window", () => {
    expect(validate({ nodes, replica_groups: 2, anti_entropy: { schedule: "every 30m" } })).toEqual(
      [],
    );
    expect(
      validate({ nodes, replica_groups: 2, anti_entropy: { schedule: "02:00-04:00" } }),
    ).toEqual([]);
  });

  it("rejects a schedule that does not parse", () => {
    expect(validate({ nodes, replica_groups: 2, anti_entropy: { schedule: "nightly" } })).toEqual([
      {
        path: "anti_entropy.schedule",
        message:
          'must be "every <duration>" (e.g. "every 6h") or a daily window "HH:MM-HH:MM" (e.g. "02:00-04:00") (got "nightly")',
      },
    ]);
  });

  it("rejects a rate limit that does not parse", () => {
    expect(
      validate({
        nodes,
        replica_groups: 2,
        search_ui: { rate_limit: { per_ip: "60 per minute" } },
      }),
    ).toEqual([
      {
        path: "search_ui.rate_limit.per_ip",
        message:
          'must be a rate "<count>/<second|minute|hour>", e.g. "60/minute" (got "60 per minute")',
      },
    ]);
  });
});
