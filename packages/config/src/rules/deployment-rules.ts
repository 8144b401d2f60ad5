import type { ConfigIssue } from "../issues/config-error.js";
import type { MiroirConfig } from "../schema/miroir-config.js";

const SHARD_FIELD = "_miroir_shard";

type Rule = (config: MiroirConfig) => ConfigIssue | undefined;

const needsRedis = (config: MiroirConfig) => config.task_store.backend === "redis";

/** Rules that tie sections together: shared state, ports, timings, advanced blocks. */
const RULES: readonly Rule[] = [
  (c) =>
    c.server.replicas > 1 && !needsRedis(c)
      ? {
          path: "task_store.backend",
          message: `is "${c.task_store.backend}" but server.replicas is ${c.server.replicas}; several proxy processes must share a redis task store (set task_store.backend: redis and task_store.url)`,
        }
      : undefined,
  (c) =>
    c.leader_election.enabled && !needsRedis(c)
      ? {
          path: "task_store.backend",
          message: `is "${c.task_store.backend}" but leader_election.enabled is true; the leader lease lives in redis (set task_store.backend: redis or disable leader_election)`,
        }
      : undefined,
  (c) =>
    needsRedis(c) && c.task_store.url === null
      ? {
          path: "task_store.url",
          message: 'is required when task_store.backend is redis, e.g. "redis://127.0.0.1:6379"',
        }
      : undefined,
  (c) =>
    c.server.port === c.server.metrics_port
      ? {
          path: "server.metrics_port",
          message: `is ${c.server.metrics_port}, the same as server.port; the metrics endpoint needs a port of its own`,
        }
      : undefined,
  (c) =>
    c.health.timeout_ms >= c.health.interval_ms
      ? {
          path: "health.timeout_ms",
          message: `is ${c.health.timeout_ms} but must be below health.interval_ms (${c.health.interval_ms}) so probes never overlap`,
        }
      : undefined,
  (c) =>
    c.tracing.enabled && c.tracing.otlp_endpoint === null
      ? {
          path: "tracing.otlp_endpoint",
          message: 'is required when tracing.enabled is true, e.g. "http://127.0.0.1:4318"',
        }
      : undefined,
  (c) =>
    c.leader_election.renew_interval_s >= c.leader_election.lease_ttl_s
      ? {
          path: "leader_election.renew_interval_s",
          message: `is ${c.leader_election.renew_interval_s} but must be below leader_election.lease_ttl_s (${c.leader_election.lease_ttl_s}) or the lease lapses between renewals`,
        }
      : undefined,
  (c) =>
    c.hpa.enabled && c.server.replicas < 2
      ? {
          path: "hpa.enabled",
          message: `needs server.replicas of at least 2 (it is ${c.server.replicas})`,
        }
      : undefined,
  (c) =>
    c.hpa.enabled && !needsRedis(c)
      ? { path: "hpa.enabled", message: "needs task_store.backend: redis" }
      : undefined,
  (c) =>
    c.hpa.max_replicas < c.hpa.min_replicas
      ? {
          path: "hpa.max_replicas",
          message: `is ${c.hpa.max_replicas} but must be at least hpa.min_replicas (${c.hpa.min_replicas})`,
        }
      : undefined,
  (c) =>
    c.multi_search.per_query_timeout_ms > c.multi_search.total_timeout_ms
      ? {
          path: "multi_search.per_query_timeout_ms",
          message: `is ${c.multi_search.per_query_timeout_ms} but must not exceed multi_search.total_timeout_ms (${c.multi_search.total_timeout_ms})`,
        }
      : undefined,
  (c) =>
    c.cdc.enabled && c.cdc.sinks.length === 0
      ? { path: "cdc.sinks", message: "must list at least one sink when cdc.enabled is true" }
      : undefined,
  (c) =>
    c.cdc.enabled && usesRedisBuffer(c) && !needsRedis(c)
      ? {
          path: "cdc.buffer",
          message:
            'uses redis but task_store.backend is not redis; choose memory/pvc and overflow "pvc" or "drop", or use a redis task store',
        }
      : undefined,
  (c) =>
    c.shadow.enabled && c.shadow.targets.length === 0
      ? {
          path: "shadow.targets",
          message: "must list at least one target when shadow.enabled is true",
        }
      : undefined,
  (c) =>
    c.search_ui.scoped_key_rotate_before_expiry_days >= c.search_ui.scoped_key_max_age_days
      ? {
          path: "search_ui.scoped_key_rotate_before_expiry_days",
          message: `is ${c.search_ui.scoped_key_rotate_before_expiry_days} but must be below search_ui.scoped_key_max_age_days (${c.search_ui.scoped_key_max_age_days}) or keys rotate continuously`,
        }
      : undefined,
  (c) =>
    c.search_ui.enabled && c.search_ui.rate_limit.backend === "local" && c.server.replicas > 1
      ? {
          path: "search_ui.rate_limit.backend",
          message: `is "local" but server.replicas is ${c.server.replicas}; per-process buckets multiply the limit, use redis`,
        }
      : undefined,
  (c) =>
    c.search_ui.enabled && c.search_ui.rate_limit.backend === "redis" && !needsRedis(c)
      ? {
          path: "search_ui.rate_limit.backend",
          message:
            'is "redis" but task_store.backend is not redis; use "local" or a redis task store',
        }
      : undefined,
  (c) =>
    c.search_ui.enabled &&
    c.search_ui.auth.mode === "shared_key" &&
    c.search_ui.auth.shared_key_env === null
      ? {
          path: "search_ui.auth.shared_key_env",
          message: "must name the environment variable holding the shared key in shared_key mode",
        }
      : undefined,
  (c) =>
    c.anti_entropy.updated_at_field === c.ttl.expires_at_field
      ? {
          path: "ttl.expires_at_field",
          message: `is "${c.ttl.expires_at_field}", the same field as anti_entropy.updated_at_field; the expiry and the write clock need fields of their own`,
        }
      : undefined,
  (c) =>
    [c.anti_entropy.updated_at_field, c.ttl.expires_at_field].includes(SHARD_FIELD)
      ? {
          path:
            c.anti_entropy.updated_at_field === SHARD_FIELD
              ? "anti_entropy.updated_at_field"
              : "ttl.expires_at_field",
          message: `must not be ${SHARD_FIELD}, which holds each document's shard`,
        }
      : undefined,
  (c) =>
    c.admin_ui.enabled && !c.admin.enabled
      ? {
          path: "admin_ui.enabled",
          message: "needs admin.enabled: true (the UI drives the admin API)",
        }
      : undefined,
];

export function deploymentIssues(config: MiroirConfig): ConfigIssue[] {
  return [
    ...RULES.flatMap((rule) => rule(config) ?? []),
    ...tenantGroupIssues(config),
    ...shadowNameIssues(config),
  ];
}

function usesRedisBuffer(config: MiroirConfig): boolean {
  return config.cdc.buffer.primary === "redis" || config.cdc.buffer.overflow === "redis";
}

function tenantGroupIssues(config: MiroirConfig): ConfigIssue[] {
  const groups = config.replica_groups;
  const outside = (group: number) => group >= groups;
  const hint = `groups are 0..${groups - 1}`;
  const { static_map, dedicated_groups, mode } = config.tenant_affinity;
  const issues: ConfigIssue[] = [];
  for (const [tenant, group] of Object.entries(static_map)) {
    if (outside(group)) {
      issues.push({
        path: `tenant_affinity.static_map.${tenant}`,
        message: `is group ${group}, which does not exist; ${hint}`,
      });
    }
  }
  dedicated_groups.forEach((group, index) => {
    if (outside(group)) {
      issues.push({
        path: `tenant_affinity.dedicated_groups[${index}]`,
        message: `is group ${group}, which does not exist; ${hint}`,
      });
    }
  });
  if (config.tenant_affinity.enabled && dedicated_groups.length >= groups) {
    issues.push({
      path: "tenant_affinity.dedicated_groups",
      message: "dedicates every replica group; leave at least one group for unmapped tenants",
    });
  }
  if (
    config.tenant_affinity.enabled &&
    mode === "explicit" &&
    Object.keys(static_map).length === 0
  ) {
    issues.push({
      path: "tenant_affinity.static_map",
      message: "must map at least one tenant to a group in explicit mode",
    });
  }
  return issues;
}

function shadowNameIssues(config: MiroirConfig): ConfigIssue[] {
  const seen = new Set<string>();
  return config.shadow.targets.flatMap((target, index) => {
    if (!seen.has(target.name)) {
      seen.add(target.name);
      return [];
    }
    return [
      {
        path: `shadow.targets[${index}].name`,
        message: `"${target.name}" is already used by another target; names must be unique`,
      },
    ];
  });
}
