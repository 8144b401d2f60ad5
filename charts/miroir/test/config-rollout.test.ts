import { describe, expect, it } from "vitest";
import { type RenderOptions, renderChart } from "./render-chart.js";

async function podAnnotations(options: RenderOptions): Promise<Record<string, string>> {
  const chart = await renderChart(options);
  return chart.one("Deployment").spec.template.metadata.annotations ?? {};
}

describe("rolling the proxies when their configuration changes", () => {
  it("annotates the pods with the checksum of the rendered config", async () => {
    const chart = await renderChart();
    const annotations = chart.one("Deployment").spec.template.metadata.annotations ?? {};
    expect(annotations["checksum/config"]).toMatch(/^[0-9a-f]{64}$/);
    expect(annotations["checksum/auth"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("keeps the checksums for the same values, so an unchanged upgrade rolls nothing", async () => {
    expect(await podAnnotations({ set: { shards: 32 } })).toEqual(
      await podAnnotations({ set: { shards: 32 } }),
    );
  });

  it.each([
    ["shards", { shards: 32 }],
    ["the scatter policy", { "scatter.unavailableShardPolicy": "error" }],
    ["the free-form config", { "config.rebalancer.max_concurrent_shards": 1 }],
    ["the node count", { "meilisearch.nodesPerGroup": 3 }],
  ])("changes the config checksum when %s changes", async (_, set) => {
    const before = await podAnnotations({});
    const after = await podAnnotations({ set });
    expect(after["checksum/config"]).not.toBe(before["checksum/config"]);
    expect(after["checksum/auth"]).toBe(before["checksum/auth"]);
  });

  it("changes the auth checksum when a key changes", async () => {
    const before = await podAnnotations({ set: { "auth.masterKey": "first-master-key-0123" } });
    const after = await podAnnotations({ set: { "auth.masterKey": "second-master-key-0123" } });
    expect(after["checksum/auth"]).not.toBe(before["checksum/auth"]);
    expect(after["checksum/config"]).toBe(before["checksum/config"]);
  });
});
