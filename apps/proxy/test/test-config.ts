import { type MiroirConfig, type MiroirConfigInput, parseConfig } from "@miroir/config";

/**
 * The admin key of test configurations that set neither an admin key nor a master key:
 * Miroir refuses to start with its admin API enabled and unguarded.
 */
export const TEST_ADMIN_KEY = "miroir-test-admin-key";

/** `input` with `TEST_ADMIN_KEY` as its admin key when it has neither key of its own. */
export function guardedAdmin<Input extends Record<string, unknown>>(input: Input): Input {
  const admin = (input.admin ?? {}) as Record<string, unknown>;
  const keyed = (admin.api_key ?? null) !== null || (input.master_key ?? null) !== null;
  return keyed ? input : { ...input, admin: { ...admin, api_key: TEST_ADMIN_KEY } };
}

/** `init` with `TEST_ADMIN_KEY` when `path` is an admin route (`/_miroir/*`). */
export function withTestAdminKey(path: string, init: RequestInit = {}): RequestInit {
  if (!path.startsWith("/_miroir/")) return init;
  const headers = new Headers(init.headers);
  headers.set("x-admin-key", TEST_ADMIN_KEY);
  return { ...init, headers };
}

type Overrides = { [K in keyof MiroirConfigInput]?: MiroirConfigInput[K] };

/**
 * A complete configuration for tests that need no nodes, read by @miroir/config like any
 * other: one unreachable node, 4 shards, an in-memory task store, the admin API guarded by
 * `TEST_ADMIN_KEY`, and `overrides` merged into each section.
 */
export function testConfig(overrides: Overrides = {}): MiroirConfig {
  const base: Record<string, unknown> = {
    shards: 4,
    nodes: [{ id: "node-0", address: "http://127.0.0.1:9", replica_group: 0 }],
    task_store: { backend: "sqlite", path: ":memory:" },
    task_registry: { poll_interval_ms: 50 },
    admin: { api_key: TEST_ADMIN_KEY },
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
