import { type MiroirConfig, type MiroirConfigInput, parseConfig } from "@miroir/config";

type Overrides = { [K in keyof MiroirConfigInput]?: MiroirConfigInput[K] };

/**
 * A complete configuration for tests that need no nodes, read by @miroir/config like any
 * other: one unreachable node, 4 shards, an in-memory task store, and `overrides` merged
 * into each section.
 */
export function testConfig(overrides: Overrides = {}): MiroirConfig {
  const base: Record<string, unknown> = {
    shards: 4,
    nodes: [{ id: "node-0", address: "http://127.0.0.1:9", replica_group: 0 }],
    task_store: { backend: "sqlite", path: ":memory:" },
    task_registry: { poll_interval_ms: 50 },
    server: { host: "127.0.0.1", shutdown_deadline_ms: 1_000, log_level: "silent" },
  };
  for (const [key, value] of Object.entries(overrides)) {
    const current = base[key];
    base[key] =
      typeof current === "object" && current !== null && !Array.isArray(current)
        ? { ...current, ...(value as object) }
        : value;
  }
  return parseConfig(base as MiroirConfigInput);
}
