import { describe, expect, it } from "vitest";
import { renderFailure } from "./render-chart.js";

describe("values.schema.json rejects invalid values before anything renders", () => {
  it("rejects more than one proxy on the SQLite task store", async () => {
    const message = await renderFailure({
      valuesFiles: ["test/invalid/replicas-sqlite-values.yaml"],
    });
    expect(message).toContain("values don't meet the specifications of the schema");
    expect(message).toContain("at '/replicaCount': maximum: got 2, want 1");
    expect(message).toContain("at '/taskStore/backend': value must be 'redis'");
  });

  it("rejects the HPA on the SQLite task store", async () => {
    const message = await renderFailure({ set: { "autoscaling.enabled": true } });
    expect(message).toContain("at '/autoscaling/enabled': value must be false");
    expect(message).toContain("at '/taskStore/backend': value must be 'redis'");
  });

  it("rejects a negative shard count", async () => {
    const message = await renderFailure({
      valuesFiles: ["test/invalid/negative-shards-values.yaml"],
    });
    expect(message).toContain("at '/shards': minimum: got -4, want 1");
  });

  it("rejects a node without an id", async () => {
    const message = await renderFailure({
      valuesFiles: ["test/invalid/node-without-id-values.yaml"],
    });
    expect(message).toContain("at '/nodes/0': missing property 'id'");
  });

  it("rejects unknown keys, such as a misspelled one", async () => {
    const message = await renderFailure({ set: { replicas: 3 } });
    expect(message).toContain("additional properties 'replicas' not allowed");
    const nested = await renderFailure({ set: { "taskStore.bakend": "redis" } });
    expect(nested).toContain("at '/taskStore': additional properties 'bakend' not allowed");
  });

  it("rejects an HPA that could scale down to a single proxy", async () => {
    const message = await renderFailure({
      set: { "autoscaling.minReplicas": 1, "taskStore.backend": "redis", "redis.enabled": true },
    });
    expect(message).toContain("at '/autoscaling/minReplicas': minimum: got 1, want 2");
  });

  it("rejects a key shorter than 16 characters", async () => {
    const message = await renderFailure({ set: { "auth.nodeMasterKey": "short" } });
    expect(message).toContain("at '/auth/nodeMasterKey'");
    expect(message).toContain("minLength: got 5, want 16");
  });

  it("rejects an unknown task store backend and scatter policy", async () => {
    expect(await renderFailure({ set: { "taskStore.backend": "postgres" } })).toContain(
      "at '/taskStore/backend'",
    );
    expect(await renderFailure({ set: { "scatter.unavailableShardPolicy": "ignore" } })).toContain(
      "at '/scatter/unavailableShardPolicy'",
    );
  });
});

describe("cross-field rules fail the render with the key to change", () => {
  it("still refuses several proxies on SQLite when the schema is skipped, naming the fix", async () => {
    const message = await renderFailure({
      valuesFiles: ["test/invalid/replicas-sqlite-values.yaml"],
      extraArgs: ["--skip-schema-validation"],
    });
    expect(message).toContain(
      'replicaCount is 2, but taskStore.backend is "sqlite": several proxies must share one task store. Set taskStore.backend=redis',
    );
  });

  it("requires a Redis for the redis backend", async () => {
    const message = await renderFailure({ set: { "taskStore.backend": "redis" } });
    expect(message).toContain(
      'taskStore.backend is "redis" but no Redis is given: set redis.enabled=true',
    );
  });

  it("refuses an external node list next to the bundled nodes", async () => {
    const message = await renderFailure({
      set: {
        "nodes[0].id": "n0",
        "nodes[0].address": "http://n0:7700",
        "nodes[0].replicaGroup": 0,
      },
    });
    expect(message).toContain("meilisearch.enabled is true, so the node list is derived");
  });

  it("requires nodes when the chart runs none", async () => {
    const message = await renderFailure({ set: { "meilisearch.enabled": false } });
    expect(message).toContain("meilisearch.enabled is false and nodes is empty");
  });

  it("refuses duplicate node ids", async () => {
    const message = await renderFailure({
      valuesFiles: ["ci/single-replica-sqlite-values.yaml"],
      set: { "nodes[1].id": "node-0" },
    });
    expect(message).toContain('nodes: the id "node-0" appears twice');
  });

  it("refuses a node in a replica group that does not exist", async () => {
    const message = await renderFailure({
      valuesFiles: ["ci/single-replica-sqlite-values.yaml"],
      set: { "nodes[2].replicaGroup": 1 },
    });
    expect(message).toContain(
      'nodes: node "node-2" is in replicaGroup 1, but replicaGroups is 1 (groups are numbered 0 to 0)',
    );
  });

  it("refuses a replication factor above the nodes of a group", async () => {
    const bundled = await renderFailure({ set: { replicationFactor: 3 } });
    expect(bundled).toContain("replicationFactor (3) is above meilisearch.nodesPerGroup (2)");
    const external = await renderFailure({
      valuesFiles: ["ci/single-replica-sqlite-values.yaml"],
      set: { replicaGroups: 2, replicationFactor: 2, "nodes[2].replicaGroup": 1 },
    });
    expect(external).toContain("nodes: replica group 1 has 1 node(s), but replicationFactor is 2");
  });

  it("refuses a health-check timeout that is not below the interval", async () => {
    const message = await renderFailure({ set: { "health.timeoutMs": 2000 } });
    expect(message).toContain(
      "health.timeoutMs (2000) must be below health.intervalMs (2000) so health checks never overlap.",
    );
  });

  it("refuses an HPA whose minimum is above its maximum", async () => {
    const message = await renderFailure({
      set: {
        "autoscaling.enabled": true,
        "autoscaling.minReplicas": 5,
        "autoscaling.maxReplicas": 2,
        "taskStore.backend": "redis",
        "redis.enabled": true,
      },
    });
    expect(message).toContain("autoscaling.minReplicas (5) is above autoscaling.maxReplicas (2)");
  });

  it.each([
    ["config.server.port", "service.port (the container always listens on 7700)"],
    ["config.server.replicas", "replicaCount or autoscaling"],
    ["config.health.interval_ms", "health"],
    ["config.shards", "shards"],
    ["config.task_store.url", "taskStore"],
  ])("refuses %s in the free-form config, naming the value to set", async (path, value) => {
    const message = await renderFailure({ set: { [path]: 1 } });
    expect(message).toContain(`${path} is rendered by the chart; set ${value} instead.`);
  });

  it.each([
    ["config.master_key", "config.master_key"],
    ["config.admin.api_key", "config.admin.api_key"],
  ])(
    "refuses a key in the free-form config (%s), which would land in the ConfigMap",
    async (path, named) => {
      const message = await renderFailure({ set: { [path]: "a-key-in-the-configmap" } });
      expect(message).toContain(`${named} would put a key into the ConfigMap: set auth.masterKey`);
    },
  );
});
