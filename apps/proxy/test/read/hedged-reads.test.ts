import type { NodeControl } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sample } from "../observability/metric-samples.js";
import { json, type ProxiedCluster } from "../proxy-cluster.js";
import { startLoadedCluster } from "./loaded-cluster.js";

const BOOKS = 60;

/**
 * Two nodes holding every shard (RF 2). One is hung (SIGSTOP on a real node); the health
 * checker is too slow to notice during the test and the node timeout is a minute, so
 * without hedging a search would wait for the hung node until the test itself timed out.
 */
describe("hedged reads", () => {
  let env: ProxiedCluster;
  const control = (nodeId: string) =>
    env.cluster.nodes.find((node) => node.id === nodeId)?.control as NodeControl;
  const metric = async (name: string) =>
    sample(await env.proxy.context.metrics.exposition(), name) ?? 0;

  beforeAll(async () => {
    env = await startLoadedCluster({ nodes: 2, rf: 2, shards: 8 }, BOOKS, {
      health: { interval_ms: 60_000, timeout_ms: 1_000 },
      scatter: { node_timeout_ms: 60_000 },
      hedging: { min_trigger_ms: 5, max_trigger_ms: 50, budget_ratio: 1 },
    });
  }, 120_000);
  afterAll(() => env?.stop());

  it("answers every search from the other replica while one replica hangs, and cancels the hung calls", async () => {
    // Warm the records: both replicas answer, so both have a latency and a p95.
    for (let i = 0; i < 40; i++) {
      expect((await env.miroir("/indexes/books/search", json({ q: "" }))).status).toBe(200);
    }
    const retriesBefore = await metric("miroir_scatter_retries_total");
    control("node-1").pause();
    try {
      for (let i = 0; i < 30; i++) {
        const answer = await env.miroir("/indexes/books/search", json({ q: "", limit: 100 }));
        expect(answer.status).toBe(200);
        expect(answer.headers.get("x-miroir-degraded")).toBeNull();
        const body = (await answer.json()) as { hits: { id: number }[] };
        expect(body.hits.map((hit) => hit.id).sort((a, b) => a - b)).toEqual(
          Array.from({ length: BOOKS }, (_, id) => id),
        );
      }
      expect(await metric("miroir_hedged_requests_won_total")).toBeGreaterThan(0);
      expect(await metric("miroir_hedged_requests_total")).toBeGreaterThanOrEqual(
        await metric("miroir_hedged_requests_won_total"),
      );
      // The hung replica's shards were answered by hedges, never by a failover after a timeout.
      expect(await metric("miroir_scatter_retries_total")).toBe(retriesBefore);
      // Its calls were canceled: none is still waiting on the hung node.
      expect(env.proxy.context.replicas.load("node-1")?.outstanding).toBe(0);
    } finally {
      control("node-1").resume();
    }
  }, 120_000);

  it("sends reads to the recovered replica again", async () => {
    const answered = () => env.proxy.context.replicas.load("node-1");
    const before = answered();
    const firstLatency = before?.latencyMs ?? 0;
    for (let i = 0; i < 100; i++) {
      expect((await env.miroir("/indexes/books/search", json({ q: "" }))).status).toBe(200);
    }
    const after = answered();
    // It was asked again (exploration first, then its cost fell back below the other's).
    expect(after?.latencyMs).not.toBe(firstLatency);
    expect(after?.outstanding).toBe(0);
  }, 120_000);
});
