import { beforeAll, describe, expect, it } from "vitest";
import { NAMESPACE, type RenderedChart, renderChart } from "./render-chart.js";

let chart: RenderedChart;

beforeAll(async () => {
  chart = await renderChart({ valuesFiles: ["ci/ha-redis-hpa-values.yaml"] });
});

describe("three to six proxies sharing the bundled Redis, scaled by the HPA", () => {
  it("points every proxy at the bundled Redis and turns leader election on", () => {
    const config = chart.miroirConfig();
    const redisService = chart.one("Service", "search-miroir-redis");
    expect(config.task_store).toEqual({
      backend: "redis",
      path: "/data/miroir.db",
      url: `redis://${redisService.metadata.name}.${NAMESPACE}.svc.cluster.local:6379`,
      key_prefix: "miroir:",
    });
    expect(config.server).toMatchObject({ replicas: 6 });
    expect(config.leader_election).toEqual({ enabled: true });
    expect(redisService.spec.ports).toEqual([
      { name: "redis", port: 6379, targetPort: "redis", protocol: "TCP" },
    ]);
  });

  it("merges the free-form config block over the rendered config", () => {
    const config = chart.miroirConfig();
    expect(config.rebalancer).toEqual({ max_concurrent_shards: 4 });
    expect(config.shards).toBe(64);
  });

  it("leaves the proxy count to the HPA", () => {
    const deployment = chart.one("Deployment");
    expect(deployment.spec.replicas).toBeUndefined();
    const hpa = chart.one("HorizontalPodAutoscaler");
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: deployment.metadata.name,
    });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([3, 6]);
    expect(
      hpa.spec.metrics.map((m) => [m.resource.name, m.resource.target.averageUtilization]),
    ).toEqual([
      ["cpu", 60],
      ["memory", 75],
    ]);
  });

  it("keeps at most one proxy down during voluntary disruptions", () => {
    const deployment = chart.one("Deployment");
    const pdb = chart.one("PodDisruptionBudget", deployment.metadata.name);
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
  });

  it("runs Redis with an append-only file on its own volume", () => {
    const redis = chart.one("StatefulSet", "search-miroir-redis");
    const container = redis.spec.template.spec.containers[0];
    expect(container?.args).toEqual(expect.arrayContaining(["--appendonly", "yes"]));
    expect(container?.securityContext).toMatchObject({ readOnlyRootFilesystem: true });
    expect(redis.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(redis.spec.volumeClaimTemplates?.map((c) => c.spec.resources.requests.storage)).toEqual([
      "2Gi",
    ]);
  });

  it("lets Prometheus scrape the metrics Service through a ServiceMonitor", () => {
    const monitor = chart.one("ServiceMonitor");
    const metrics = chart.one("Service", "search-miroir-metrics");
    expect(metrics.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(chart.one("Service", "search-miroir").metadata.labels).not.toMatchObject(
      monitor.spec.selector.matchLabels,
    );
    expect(monitor.spec.endpoints).toEqual([
      { port: "metrics", path: "/metrics", interval: "30s", scrapeTimeout: "10s" },
    ]);
    expect(monitor.metadata.labels).toMatchObject({ release: "prometheus" });
  });

  it("lets only the proxy reach the nodes and Redis", () => {
    const proxyLabels = chart.one("Deployment").spec.selector.matchLabels;
    for (const [name, component, port] of [
      ["search-miroir-meilisearch", "meilisearch", "http"],
      ["search-miroir-redis", "redis", "redis"],
    ] as const) {
      const policy = chart.one("NetworkPolicy", name);
      expect(policy.spec.podSelector.matchLabels).toMatchObject({
        "app.kubernetes.io/component": component,
      });
      expect(policy.spec.ingress).toEqual([
        {
          from: [{ podSelector: { matchLabels: proxyLabels } }],
          ports: [{ port, protocol: "TCP" }],
        },
      ]);
    }
  });

  it("admits API clients only from the configured peers, and metrics scrapes from anywhere", () => {
    const policy = chart.one("NetworkPolicy", "search-miroir");
    expect(policy.spec.ingress).toEqual([
      {
        ports: [{ port: "http", protocol: "TCP" }],
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "web" } } }],
      },
      { ports: [{ port: "metrics", protocol: "TCP" }] },
    ]);
  });
});
