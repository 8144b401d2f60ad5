import { parseConfig } from "@miroir/config";
import { type Cluster, startCluster } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxy, type RunningProxy } from "../../src/index.js";
import { type LoopbackRelay, startRelay } from "../faults/loopback-relay.js";
import { json } from "../proxy-cluster.js";
import { guardedAdmin } from "../test-config.js";
import { sample } from "./metric-samples.js";

const SHARDS = 64;

/** Two nodes, RF 2 (every shard on both), each reached through a relay the test can cut. */
describe("metrics under node failures", () => {
  let cluster: Cluster;
  const relays: LoopbackRelay[] = [];
  const proxies: RunningProxy[] = [];

  async function proxyWith(health: Record<string, number>) {
    const proxy = await createProxy(
      parseConfig({
        ...guardedAdmin(cluster.config),
        nodes: cluster.nodes.map((node, at) => ({
          id: node.id,
          address: relays[at]?.url,
          replica_group: 0,
        })),
        server: { host: "127.0.0.1", log_level: "silent" },
        task_registry: { poll_interval_ms: 20 },
        health,
        // Replicas by rotation, so that one search asks both nodes for some shards each
        // (adaptive choice may give every shard to the one cheaper node).
        replica_selection: { strategy: "round_robin" },
      }),
    );
    proxies.push(proxy);
    const { url } = await proxy.listen(0);
    const metrics = await proxy.listenMetrics(0);
    const scrape = async () => (await fetch(`${metrics.url}/metrics`)).text();
    return {
      url,
      scrape,
      call: (path: string, init?: RequestInit) => fetch(`${url}${path}`, init),
    };
  }

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 2, rf: 2, shards: SHARDS });
    for (const node of cluster.nodes) relays.push(await startRelay(node.address));
  }, 60_000);
  afterAll(async () => {
    for (const proxy of proxies) await proxy.close();
    for (const relay of relays) await relay.close();
    await cluster?.stop();
  });

  it("counts the nodes a read asks, the shards it retries, the failed call and a partial answer", async () => {
    // Probed once at start, then not for a minute: a cut node is found by the reads.
    const miroir = await proxyWith({ interval_ms: 60_000, timeout_ms: 1_000 });
    const created = await miroir.call("/indexes", json({ uid: "faults", primaryKey: "id" }));
    const { taskUid } = (await created.json()) as { taskUid: number };
    for (let attempt = 0; attempt < 300; attempt++) {
      const task = (await (await miroir.call(`/tasks/${taskUid}`)).json()) as { status: string };
      if (task.status === "succeeded") break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const search = () => miroir.call("/indexes/faults/search", json({ q: "" }));
    expect((await search()).status).toBe(200);

    const before = await miroir.scrape();
    relays[1]?.cut();
    const complete = await search();
    expect(complete.status).toBe(200);
    expect(complete.headers.get("x-miroir-degraded")).toBeNull();
    const afterRetry = await miroir.scrape();
    const errors = (text: string) =>
      sample(text, "miroir_node_errors_total", { node_id: "node-1", error_type: "unreachable" });
    expect(errors(afterRetry)).toBe(errors(before) + 1);
    const retried =
      sample(afterRetry, "miroir_scatter_retries_total") -
      sample(before, "miroir_scatter_retries_total");
    expect(retried).toBeGreaterThan(0);
    expect(retried).toBeLessThan(SHARDS);
    const fanOut = (text: string) => [
      sample(text, "miroir_scatter_fan_out_size_count"),
      sample(text, "miroir_scatter_fan_out_size_sum"),
    ];
    const [countBefore = 0, sumBefore = 0] = fanOut(before);
    expect(fanOut(afterRetry)).toEqual([countBefore + 1, sumBefore + 2]);
    expect(sample(afterRetry, "miroir_scatter_partial_responses_total")).toBe(
      sample(before, "miroir_scatter_partial_responses_total"),
    );

    relays[0]?.cut();
    const partial = await search();
    expect(partial.status).toBe(200);
    expect(partial.headers.get("x-miroir-degraded")).toBe(
      `shards=${Array.from({ length: SHARDS }, (_, shard) => shard).join(",")}`,
    );
    const afterPartial = await miroir.scrape();
    expect(sample(afterPartial, "miroir_scatter_partial_responses_total")).toBe(
      sample(afterRetry, "miroir_scatter_partial_responses_total") + 1,
    );
    for (const relay of relays) relay.restore();
  }, 60_000);

  it("reports a cut node unhealthy, the shards it leaves short, and its recovery", async () => {
    // A probe timeout a loaded machine never reaches for a node that answers.
    const miroir = await proxyWith({
      interval_ms: 1_200,
      timeout_ms: 1_000,
      unhealthy_threshold: 1,
      recovery_threshold: 1,
    });
    const until = async (holds: (text: string) => boolean): Promise<string> => {
      for (let attempt = 0; attempt < 300; attempt++) {
        const text = await miroir.scrape();
        if (holds(text)) return text;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error("the metrics never showed the expected state");
    };
    const healthOf = (text: string, node = "node-1") =>
      sample(text, "miroir_node_healthy", { node_id: node });
    const changes = (text: string, health: string) =>
      sample(text, "miroir_node_health_changes_total", { node_id: "node-1", health });
    const healthy = await until((text) => healthOf(text) === 1 && healthOf(text, "node-0") === 1);
    expect(sample(healthy, "miroir_shard_coverage")).toBe(1);
    expect(sample(healthy, "miroir_degraded_shards_total")).toBe(0);

    relays[1]?.cut();
    const down = await until((text) => healthOf(text) === 0 && healthOf(text, "node-0") === 1);
    expect(changes(down, "unreachable")).toBe(changes(healthy, "unreachable") + 1);
    expect(sample(down, "miroir_shard_coverage")).toBe(1);
    expect(sample(down, "miroir_degraded_shards_total")).toBe(SHARDS);
    expect(sample(down, "miroir_shard_distribution", { node_id: "node-1" })).toBe(SHARDS);

    relays[1]?.restore();
    const back = await until((text) => healthOf(text) === 1 && healthOf(text, "node-0") === 1);
    expect(changes(back, "healthy")).toBe(changes(down, "healthy") + 1);
    expect(sample(back, "miroir_degraded_shards_total")).toBe(0);
    const rounds = sample(back, "miroir_duty_runs_total", { duty: "health-probes" });
    expect(rounds).toBeGreaterThanOrEqual(3);
    expect(sample(back, "miroir_duty_duration_seconds_count", { duty: "health-probes" })).toBe(
      rounds,
    );
    expect(sample(back, "miroir_duty_failures_total", { duty: "health-probes" })).toBe(0);
  }, 60_000);
});
