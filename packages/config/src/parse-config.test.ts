import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./issues/config-error.js";
import { defaultConfig, parseConfig, validate } from "./parse-config.js";

const nodes = [{ id: "node-0", address: "http://127.0.0.1:7701" }];

describe("parseConfig", () => {
  it("fills every default around the nodes of a configuration built in code", () => {
    const config = parseConfig({ nodes });
    expect(config.master_key).toBeNull();
    expect(config.replica_groups).toBe(1);
    expect(config.scatter).toEqual({
      node_timeout_ms: 5000,
      unavailable_shard_policy: "partial",
      retry_other_replica: true,
      fallback_other_group: true,
    });
    expect(config.server.log_level).toBe("info");
    expect(config.leader_election.enabled).toBe(false);
  });

  it("gives the same object as defaultConfig", () => {
    expect(defaultConfig(nodes)).toEqual(parseConfig({ nodes }));
  });

  it("throws a ConfigError carrying every issue and a readable message", () => {
    let caught: unknown;
    try {
      parseConfig({ nodes, shards: -1, server: { port: "x" } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.issues.map((issue) => issue.path)).toEqual(["shards", "server.port"]);
    expect(error.message).toBe(
      'Invalid Miroir configuration (2 problems):\n  - shards: must be at least 1 (got -1)\n  - server.port: expected a whole number, got "x"',
    );
  });

  it("does not change its input", () => {
    const input = { nodes: [{ ...nodes[0] }], server: { port: 8000 } };
    const copy = structuredClone(input);
    parseConfig(input);
    expect(input).toEqual(copy);
  });
});

describe("validate", () => {
  it("returns no issue for a valid configuration", () => {
    expect(validate({ nodes })).toEqual([]);
  });

  it("never throws, whatever it is given", () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(Array.isArray(validate(input))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("rejects a document that is not a mapping", () => {
    expect(validate("nodes")).toEqual([
      { path: "", message: 'expected a mapping of keys, got "nodes"' },
    ]);
  });

  it("suggests the closest key for an unknown key", () => {
    expect(validate({ nodes, scater: {} })).toEqual([
      { path: "scater", message: 'unknown key "scater"; did you mean "scatter"?' },
    ]);
  });

  it("lists the allowed keys when no key is close", () => {
    expect(validate({ nodes, task_store: { zzzzzz: 1 } })).toEqual([
      {
        path: "task_store.zzzzzz",
        message: 'unknown key "zzzzzz"; allowed keys here: backend, path, url, key_prefix',
      },
    ]);
  });

  it("says which values an enumerated key accepts", () => {
    expect(validate({ nodes, task_store: { backend: "postgres" } })).toEqual([
      { path: "task_store.backend", message: 'must be one of sqlite | redis (got "postgres")' },
    ]);
  });

  it("names the expected type of a wrong value", () => {
    expect(validate({ nodes, rebalancer: { enabled: "yes" } })).toEqual([
      { path: "rebalancer.enabled", message: 'expected true or false, got "yes"' },
    ]);
    expect(validate({ nodes, master_key: 42 })).toEqual([
      { path: "master_key", message: "expected a string or null, got 42" },
    ]);
    expect(validate({ nodes, admin_ui: { allowed_origins: "*" } })).toEqual([
      { path: "admin_ui.allowed_origins", message: 'expected a list, got "*"' },
    ]);
  });

  it("rejects a missing node address", () => {
    expect(validate({ nodes: [{ id: "node-0" }] })).toEqual([
      { path: "nodes[0].address", message: "is required but missing" },
    ]);
  });

  it("rejects a node address that is not a URL at all", () => {
    expect(validate({ nodes: [{ id: "a", address: "not a url" }] })).toEqual([
      {
        path: "nodes[0].address",
        message: 'must be an http(s) URL with a host, for example "http://127.0.0.1:7700"',
      },
    ]);
  });

  it("rejects node addresses of other schemes or with credentials, never echoing them", () => {
    for (const address of ["ftp://meili:7700", "file:///etc/passwd", "unix:/run/meili.sock"]) {
      expect(validate({ nodes: [{ id: "a", address }] })[0]?.message).toMatch(/http\(s\) URL/);
    }
    const issues = validate({ nodes: [{ id: "a", address: "http://user:s3cret@meili:7700" }] });
    expect(issues).toEqual([
      {
        path: "nodes[0].address",
        message:
          "must not carry a user or password: Miroir authenticates to nodes with node_master_key (MIROIR_NODE_MASTER_KEY)",
      },
    ]);
    expect(JSON.stringify(issues)).not.toContain("s3cret");
  });

  it("rejects an unknown change-capture sink type", () => {
    expect(validate({ nodes, cdc: { sinks: [{ type: "pigeon" }] } })).toEqual([
      {
        path: "cdc.sinks[0].type",
        message: 'type must be one of webhook | nats | kafka | internal (got "pigeon")',
      },
    ]);
  });

  it("checks each sink's URL scheme", () => {
    expect(
      validate({ nodes, cdc: { sinks: [{ type: "nats", url: "http://nats:4222" }] } }),
    ).toEqual([
      {
        path: "cdc.sinks[0].url",
        message: 'must be a URL with scheme nats:// or tls:// (got "http://nats:4222")',
      },
    ]);
  });

  it("rejects a redis URL with another scheme", () => {
    expect(validate({ nodes, task_store: { backend: "redis", url: "http://r:6379" } })).toEqual([
      {
        path: "task_store.url",
        message: 'must be a URL with scheme redis:// or rediss:// (got "http://r:6379")',
      },
    ]);
  });
});

describe("advanced capabilities", () => {
  it("each have an enabled flag", () => {
    const config = parseConfig({ nodes });
    const blocks = [
      "resharding",
      "hedging",
      "replica_selection",
      "query_planner",
      "settings_broadcast",
      "settings_drift_check",
      "session_pinning",
      "aliases",
      "anti_entropy",
      "dump_import",
      "idempotency",
      "query_coalescing",
      "multi_search",
      "vector_search",
      "cdc",
      "ttl",
      "tenant_affinity",
      "shadow",
      "ilm",
      "canary_runner",
      "admin_ui",
      "explain",
      "search_ui",
      "peer_discovery",
      "leader_election",
      "hpa",
    ] as const;
    for (const block of blocks) expect(typeof config[block].enabled, block).toBe("boolean");
  });

  it("leave off by default what needs more setup than one process", () => {
    const config = parseConfig({ nodes });
    expect(
      [
        config.cdc,
        config.shadow,
        config.tenant_affinity,
        config.search_ui,
        config.leader_election,
        config.hpa,
        config.peer_discovery,
      ].map((block) => block.enabled),
    ).toEqual([false, false, false, false, false, false, false]);
  });
});
