import { beforeAll, describe, expect, it } from "vitest";
import { type RenderedChart, renderChart } from "./render-chart.js";

let chart: RenderedChart;

beforeAll(async () => {
  // The production values over the bundled nodes (a release may point at its own instead).
  chart = await renderChart({
    valuesFiles: ["values-production.yaml"],
    set: { "meilisearch.enabled": true },
  });
});

describe("production values: three proxies, any one may die", () => {
  it("runs three proxies on the bundled Redis with leader election", () => {
    expect(chart.one("Deployment").spec.replicas).toBe(3);
    const config = chart.miroirConfig();
    expect(config.task_store).toMatchObject({ backend: "redis" });
    expect(String((config.task_store as { url?: unknown }).url)).toMatch(
      /^redis:\/\/search-miroir-redis\./,
    );
    expect(config.leader_election).toEqual({ enabled: true });
    expect(chart.one("StatefulSet", "search-miroir-redis")).toBeDefined();
  });

  it("never puts two proxies on one host", () => {
    const spec = chart.one("Deployment").spec;
    const terms = spec.template.spec.affinity?.podAntiAffinity
      ?.requiredDuringSchedulingIgnoredDuringExecution as
      | { topologyKey: string; labelSelector: { matchLabels: Record<string, string> } }[]
      | undefined;
    expect(terms).toHaveLength(1);
    expect(terms?.[0]?.topologyKey).toBe("kubernetes.io/hostname");
    expect(terms?.[0]?.labelSelector.matchLabels).toEqual(spec.selector.matchLabels);
  });

  it("keeps at most one proxy down during voluntary disruptions", () => {
    const deployment = chart.one("Deployment");
    const pdb = chart.one("PodDisruptionBudget", deployment.metadata.name);
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
  });

  it("sends traffic to a proxy only once it loaded the topology and covers every shard", () => {
    const container = chart.one("Deployment").spec.template.spec.containers[0];
    expect(container?.readinessProbe?.httpGet).toMatchObject({ path: "/_miroir/ready" });
  });
});

describe("proxy anti-affinity by default", () => {
  it("prefers other hosts for several proxies, and sets none for one", async () => {
    const several = await renderChart({
      set: { replicaCount: 2, "taskStore.backend": "redis", "redis.enabled": true },
    });
    const preferred = several.one("Deployment").spec.template.spec.affinity?.podAntiAffinity
      ?.preferredDuringSchedulingIgnoredDuringExecution as { weight: number }[] | undefined;
    expect(preferred?.map((term) => term.weight)).toEqual([100]);
    const single = await renderChart({});
    expect(single.one("Deployment").spec.template.spec.affinity).toBeUndefined();
  });
});
