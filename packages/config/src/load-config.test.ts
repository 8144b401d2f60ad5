import { describe, expect, it } from "vitest";
import { ConfigError } from "./issues/config-error.js";
import { loadConfig } from "./load-config.js";

const FILE_TEXT = `
nodes:
  - id: node-0
    address: http://127.0.0.1:7701
server:
  port: 7800
health:
  interval_ms: 3000
`;
const file = { path: "miroir.yaml", text: FILE_TEXT };

function issuesOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig precedence", () => {
  it("takes built-in defaults for every key the file leaves out", () => {
    const config = loadConfig({ file });
    expect(config.shards).toBe(64);
    expect(config.server.metrics_port).toBe(9090);
    expect(config.task_store).toEqual({
      backend: "sqlite",
      path: "./miroir.db",
      url: null,
      key_prefix: "miroir:",
    });
    expect(config.nodes).toEqual([
      { id: "node-0", address: "http://127.0.0.1:7701", replica_group: 0 },
    ]);
  });

  it("lets the file override a default", () => {
    expect(loadConfig({ file }).server.port).toBe(7800);
  });

  it("lets the environment override the file and the defaults", () => {
    const config = loadConfig({
      file,
      env: { MIROIR_SERVER__PORT: "8080", MIROIR_SHARDS: "128" },
    });
    expect(config.server.port).toBe(8080);
    expect(config.shards).toBe(128);
    expect(config.health.interval_ms).toBe(3000);
  });

  it("builds a whole configuration from the environment alone", () => {
    const config = loadConfig({
      env: { MIROIR_NODES: "[{id: a, address: 'http://10.0.0.1:7700'}]" },
    });
    expect(config.nodes[0]?.address).toBe("http://10.0.0.1:7700");
  });

  it("reports a missing nodes list when there is neither file nor environment", () => {
    expect(issuesOf(() => loadConfig())).toEqual([
      { path: "nodes", message: "is required but missing" },
    ]);
  });
});

describe("environment variables", () => {
  it("reads nested keys through double underscores and enums verbatim", () => {
    const config = loadConfig({
      file,
      env: { MIROIR_SCATTER__UNAVAILABLE_SHARD_POLICY: "error" },
    });
    expect(config.scatter.unavailable_shard_policy).toBe("error");
  });

  it("parses numbers, booleans and lists as YAML scalars", () => {
    const config = loadConfig({
      file,
      env: {
        MIROIR_REBALANCER__ENABLED: "false",
        MIROIR_TRACING__SAMPLE_RATE: "0.25",
        MIROIR_ADMIN_UI__ALLOWED_ORIGINS: "[https://a.example, https://b.example]",
      },
    });
    expect(config.rebalancer.enabled).toBe(false);
    expect(config.tracing.sample_rate).toBe(0.25);
    expect(config.admin_ui.allowed_origins).toEqual(["https://a.example", "https://b.example"]);
  });

  it("maps the secret variables to their keys and keeps their text exactly", () => {
    const config = loadConfig({
      file,
      env: {
        MIROIR_MASTER_KEY: "12345",
        MIROIR_NODE_MASTER_KEY: "true",
        MIROIR_ADMIN_API_KEY: "admin-secret",
      },
    });
    expect(config.master_key).toBe("12345");
    expect(config.node_master_key).toBe("true");
    expect(config.admin.api_key).toBe("admin-secret");
  });

  it("clears a nullable key with an empty value", () => {
    const withKey = { path: "f.yaml", text: `${FILE_TEXT}master_key: from-file\n` };
    expect(loadConfig({ file: withKey, env: { MIROIR_MASTER_KEY: "" } }).master_key).toBeNull();
  });

  it("ignores variables of other tools that share the prefix", () => {
    const config = loadConfig({
      file,
      env: { MIROIR_DEV_PORT: "3000", MIROIR_HOME: "/opt/miroir", PATH: "/bin" },
    });
    expect(config.server.port).toBe(7800);
  });

  it("rejects a mistyped key inside a known section with a suggestion", () => {
    expect(issuesOf(() => loadConfig({ file, env: { MIROIR_SERVER__PROT: "1" } }))).toEqual([
      {
        path: "server.prot",
        message: "MIROIR_SERVER__PROT names no key of server; did you mean MIROIR_SERVER__PORT?",
      },
    ]);
  });

  it("lists the section's keys when no key is close", () => {
    const [issue] = issuesOf(() => loadConfig({ file, env: { MIROIR_HEALTH__ZZZZZZZZZ: "1" } }));
    expect(issue?.message).toContain("keys of health are: interval_ms, timeout_ms");
  });

  it("names the variable that set a wrong value", () => {
    expect(issuesOf(() => loadConfig({ file, env: { MIROIR_SERVER__PORT: "eighty" } }))).toEqual([
      {
        path: "server.port",
        message: 'expected a whole number, got "eighty" (set by MIROIR_SERVER__PORT)',
      },
    ]);
  });

  it("reports a value that is not valid YAML", () => {
    const [issue] = issuesOf(() => loadConfig({ file, env: { MIROIR_NODES: "[{id: a" } }));
    expect(issue?.path).toBe("nodes");
    expect(issue?.message).toMatch(/^MIROIR_NODES: not a valid YAML value/);
  });
});

describe("the YAML file", () => {
  it("reports malformed YAML with its line and column", () => {
    const broken = { path: "broken.yaml", text: "nodes:\n  - id: a\n    address: [http://x\n" };
    const [issue] = issuesOf(() => loadConfig({ file: broken }));
    expect(issue?.path).toBe("");
    expect(issue?.message).toMatch(/^broken\.yaml: malformed YAML at line \d+, column \d+: /);
  });

  it("rejects a duplicated key", () => {
    const twice = { path: "twice.yaml", text: `${FILE_TEXT}shards: 8\nshards: 16\n` };
    const [issue] = issuesOf(() => loadConfig({ file: twice }));
    expect(issue?.message).toMatch(/malformed YAML at line 10, column 1: Map keys must be unique/);
  });

  it("rejects a file that is not a mapping", () => {
    expect(issuesOf(() => loadConfig({ file: { path: "list.yaml", text: "- a\n- b\n" } }))).toEqual(
      [{ path: "", message: 'list.yaml: the file must be a mapping of keys such as "nodes:"' }],
    );
  });

  it("treats an empty file as no settings", () => {
    const config = loadConfig({
      file: { path: "empty.yaml", text: "" },
      env: { MIROIR_NODES: "[{id: a, address: 'http://a:7700'}]" },
    });
    expect(config.nodes).toHaveLength(1);
  });

  it("reports every problem at once with the key path, never only the first", () => {
    const bad = {
      path: "bad.yaml",
      text: "shards: 0\nnodes:\n  - id: a\n    adress: http://x\nserver:\n  prot: 1\n",
    };
    expect(issuesOf(() => loadConfig({ file: bad }))).toEqual([
      { path: "shards", message: "must be at least 1 (got 0)" },
      { path: "nodes[0].address", message: "is required but missing" },
      { path: "nodes[0].adress", message: 'unknown key "adress"; did you mean "address"?' },
      { path: "server.prot", message: 'unknown key "prot"; did you mean "port"?' },
    ]);
  });
});

describe("environment variables that do not fit the schema", () => {
  it("rejects setting one entry of a list and says how to set the list", () => {
    expect(
      issuesOf(() => loadConfig({ file, env: { MIROIR_NODES__0__ADDRESS: "http://x:7700" } })),
    ).toEqual([
      {
        path: "nodes",
        message:
          "MIROIR_NODES__0__ADDRESS reaches inside nodes, which is set as a whole: use MIROIR_NODES with a YAML value",
      },
    ]);
  });

  it("rejects naming a whole section", () => {
    expect(
      issuesOf(() => loadConfig({ file, env: { MIROIR_CDC__BUFFER: "{primary: memory}" } })),
    ).toEqual([
      {
        path: "cdc.buffer",
        message:
          "MIROIR_CDC__BUFFER names the section cdc.buffer; set its keys one by one, e.g. MIROIR_CDC__BUFFER__PRIMARY",
      },
    ]);
  });

  it("ignores a single-part variable that happens to name a section", () => {
    expect(loadConfig({ file, env: { MIROIR_SERVER: "http://miroir:7700" } }).server.port).toBe(
      7800,
    );
  });
});
