import { loadConfig } from "@miroir/config";
import { describe, expect, it } from "vitest";
import { type RenderOptions, renderChart } from "./render-chart.js";

/** The environment a proxy pod gets: its container env, with the Secret's values filled in. */
const SECRET_VALUES: Record<string, string> = {
  MIROIR_MASTER_KEY: "contract-master-key-0123",
  MIROIR_NODE_MASTER_KEY: "contract-node-key-0123",
  MIROIR_ADMIN_API_KEY: "contract-admin-key-0123",
  MIROIR_TASK_STORE__URL: "redis://:s3cret@redis.shared.svc.cluster.local:6379",
  MIROIR_REDIS_PASSWORD: "generatedRedisPassword0123",
};

async function loadAsTheProxyWould(options: RenderOptions) {
  const chart = await renderChart(options);
  const container = chart.one("Deployment").spec.template.spec.containers[0];
  const env: Record<string, string> = {};
  for (const variable of container?.env ?? []) {
    const given = variable.value ?? SECRET_VALUES[variable.name];
    if (given === undefined) throw new Error(`no test value for ${variable.name}`);
    // Kubernetes expands `$(NAME)` with the variables defined before it.
    env[variable.name] = given.replace(/\$\((\w+)\)/g, (whole, name: string) => env[name] ?? whole);
  }
  const text = chart.one("ConfigMap").data["miroir.yaml"] ?? "";
  return loadConfig({ file: { path: "/etc/miroir/miroir.yaml", text }, env });
}

describe("the rendered config file is one Miroir accepts", () => {
  it.each([
    [[]],
    [["ci/single-replica-sqlite-values.yaml"]],
    [["ci/ha-redis-hpa-values.yaml"]],
    [["ci/bundled-meilisearch-rg2-values.yaml"]],
    [["ci/existing-secret-values.yaml"]],
  ])("loads with values %j and the pod's environment", async (valuesFiles) => {
    const config = await loadAsTheProxyWould({ valuesFiles });
    expect(config.master_key).toBe(SECRET_VALUES.MIROIR_MASTER_KEY);
    expect(config.node_master_key).toBe(SECRET_VALUES.MIROIR_NODE_MASTER_KEY);
    expect(config.admin.api_key).toBe(SECRET_VALUES.MIROIR_ADMIN_API_KEY);
  });

  it("loads the HA shape with several proxies, leader election and the HPA", async () => {
    const config = await loadAsTheProxyWould({ valuesFiles: ["ci/ha-redis-hpa-values.yaml"] });
    expect(config.server.replicas).toBe(6);
    expect(config.leader_election.enabled).toBe(true);
    expect(config.hpa).toMatchObject({ enabled: true, min_replicas: 3, max_replicas: 6 });
    expect(config.task_store.backend).toBe("redis");
    expect(config.nodes).toHaveLength(3);
  });

  it("takes the Redis URL from a Secret, keeping the password out of the ConfigMap", async () => {
    const options: RenderOptions = {
      set: {
        replicaCount: 2,
        "taskStore.backend": "redis",
        "taskStore.urlSecret.name": "shared-redis",
      },
    };
    const chart = await renderChart(options);
    expect(chart.miroirConfig().task_store).toMatchObject({ backend: "redis", url: null });
    const container = chart.one("Deployment").spec.template.spec.containers[0];
    expect(container?.env).toContainEqual({
      name: "MIROIR_TASK_STORE__URL",
      valueFrom: { secretKeyRef: { name: "shared-redis", key: "url" } },
    });
    const config = await loadAsTheProxyWould(options);
    expect(config.task_store.url).toBe(SECRET_VALUES.MIROIR_TASK_STORE__URL);
  });
});
