import { parseConfig } from "@miroir/config";
import { checkSearchResponse } from "@miroir/merger";
import { createTopology } from "@miroir/router";
import { describe, expect, it } from "vitest";
import { sample } from "../../test/observability/metric-samples.js";
import type { ProxyContext } from "../context.js";
import { NodeCallError, type NodeRequest, type NodeResponse } from "../node-client/index.js";
import { createProxyMetrics } from "../observability/index.js";
import { createHedgeBudget } from "./hedge-budget.js";
import type { ReadScope } from "./read-scope.js";
import { createReplicaTracker } from "./replica-tracker.js";
import { type NodeReply, scatter } from "./scatter.js";

// One group of two nodes, every shard on both: each shard has one other replica.
const topology = createTopology({
  shards: 4,
  replicationFactor: 2,
  replicaGroups: 1,
  nodes: ["a", "b"].map((id, index) => ({
    id,
    address: `http://127.0.0.1:${7700 + index}`,
    group: 0,
    state: "active" as const,
  })),
});

const scope: ReadScope = {
  topology,
  group: 0,
  seq: 0,
  health: new Map(),
  settings: {
    nodeTimeoutMs: 1_000,
    unavailableShardPolicy: "partial",
    retryOtherReplica: true,
    fallbackOtherGroup: true,
    narrowing: { enabled: false, maxLiterals: 0 },
    replicaChoice: "round_robin",
    hedging: {
      enabled: false,
      p95Multiplier: 1.2,
      minMs: 5,
      maxMs: 20,
      maxPerRead: 2,
      budgetRatio: 0.1,
      crossGroup: true,
    },
  },
};

const hedgingScope: ReadScope = {
  ...scope,
  settings: { ...scope.settings, hedging: { ...scope.settings.hedging, enabled: true } },
};

/** A context whose node client answers with `answer`, the shards read from the request. */
function contextAnswering(
  answer: (
    nodeId: string,
    shards: readonly number[],
    signal: AbortSignal | undefined,
  ) => NodeResponse | Promise<NodeResponse>,
): ProxyContext {
  return {
    logger: { warn: () => {} },
    metrics: createProxyMetrics(),
    cluster: { topology, health: new Map() },
    replicas: createReplicaTracker(parseConfig(MINIMAL_CONFIG)),
    hedgeBudget: createHedgeBudget(1),
    nodes: {
      call: async (nodeId: string, request: NodeRequest) =>
        answer(nodeId, (request.json as { shards: number[] }).shards, request.signal),
    },
  } as unknown as ProxyContext;
}

const MINIMAL_CONFIG = {
  shards: 4,
  nodes: [{ id: "a", address: "http://127.0.0.1:7700" }],
};

/** Answers once `signal` aborts (as a canceled call does), or after `ms`. */
function slowAnswer(
  nodeId: string,
  shards: readonly number[],
  signal: AbortSignal | undefined,
  ms: number,
): Promise<NodeResponse> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve({ nodeId, status: 200, body: searchBody(shards) }), ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new NodeCallError(nodeId, "canceled", new Error("aborted")));
    });
  });
}

const read = <Checked>(check: (reply: NodeReply) => Checked) => ({
  shards: [0, 1, 2, 3],
  request: (shards: readonly number[]): NodeRequest => ({
    method: "POST",
    path: "/search",
    json: { shards },
  }),
  check,
  merge: (checked: Checked[]) => checked,
});

const searchBody = (shards: readonly number[]) => ({
  hits: shards.map((shard) => ({ id: shard, _rankingScore: 0.5 })),
  processingTimeMs: 1,
  estimatedTotalHits: shards.length,
});

describe("scatter checks each node answer once", () => {
  it("hands the merge each answer's checked value, having checked every reply exactly once", async () => {
    const checked: string[] = [];
    const ctx = contextAnswering((nodeId, shards) => ({
      nodeId,
      status: 200,
      body: searchBody(shards),
    }));
    const outcome = await scatter(
      ctx,
      scope,
      read((reply) => {
        checked.push(reply.nodeId);
        return { nodeId: reply.nodeId, body: checkSearchResponse(reply.nodeId, reply.body) };
      }),
    );
    expect(checked.sort()).toEqual(outcome.checked.map((answer) => answer.nodeId).sort());
    const hits = outcome.checked.flatMap((answer) => answer.body.hits.map((hit) => hit.id));
    expect(hits.sort()).toEqual([0, 1, 2, 3]);
    expect(outcome.lost).toEqual([]);
  });

  it("counts a node whose answer fails the check as failed and asks the other replica for its shards", async () => {
    const calls: string[] = [];
    const shardsOfA: number[] = [];
    const ctx = contextAnswering((nodeId, shards) => {
      calls.push(nodeId);
      if (nodeId === "a") shardsOfA.push(...shards);
      const body = nodeId === "a" ? { hits: "not a list" } : searchBody(shards);
      return { nodeId, status: 200, body };
    });
    const outcome = await scatter(
      ctx,
      scope,
      read((reply) => ({
        nodeId: reply.nodeId,
        body: checkSearchResponse(reply.nodeId, reply.body),
      })),
    );
    expect(calls).toContain("a");
    expect(outcome.checked.every((answer) => answer.nodeId === "b")).toBe(true);
    // One read asked two nodes and placed a's shards again.
    const text = await ctx.metrics.exposition();
    expect(sample(text, "miroir_scatter_fan_out_size_count")).toBe(1);
    expect(sample(text, "miroir_scatter_fan_out_size_sum")).toBe(2);
    expect(sample(text, "miroir_scatter_retries_total")).toBe(shardsOfA.length);
    const hits = outcome.checked.flatMap((answer) => answer.body.hits.map((hit) => hit.id));
    expect(hits.sort()).toEqual([0, 1, 2, 3]);
    expect(outcome.lost).toEqual([]);
  });
});

describe("scatter hedges a node slow to answer", () => {
  const checkHits = (reply: NodeReply) => ({
    nodeId: reply.nodeId,
    body: checkSearchResponse(reply.nodeId, reply.body),
  });

  it("asks the other replica for a slow node's shards, takes the first answer and cancels the slow call", async () => {
    const canceled: string[] = [];
    const ctx = contextAnswering((nodeId, shards, signal) => {
      signal?.addEventListener("abort", () => canceled.push(nodeId));
      return nodeId === "a"
        ? slowAnswer(nodeId, shards, signal, 10_000)
        : { nodeId, status: 200, body: searchBody(shards) };
    });
    const outcome = await scatter(ctx, hedgingScope, read(checkHits));
    const hits = outcome.checked.flatMap((answer) => answer.body.hits.map((hit) => hit.id));
    expect(hits.sort()).toEqual([0, 1, 2, 3]);
    expect(outcome.checked.every((answer) => answer.nodeId === "b")).toBe(true);
    expect(canceled).toEqual(["a"]);
    const text = await ctx.metrics.exposition();
    expect(sample(text, "miroir_hedged_requests_total")).toBe(1);
    expect(sample(text, "miroir_hedged_requests_won_total")).toBe(1);
    // A canceled call is no error of the node's.
    expect(sample(text, "miroir_scatter_retries_total")).toBe(0);
  });

  it("keeps the slow node's answer when it comes before the hedge's, and cancels the hedge", async () => {
    const canceled: string[] = [];
    let callsToB = 0;
    const ctx = contextAnswering((nodeId, shards, signal) => {
      signal?.addEventListener("abort", () => canceled.push(nodeId));
      // a answers after the hedge delay (20 ms) but before b, which stalls when asked again
      // (the hedge; the first call to b is its own part of the read).
      if (nodeId === "a") return slowAnswer(nodeId, shards, signal, 60);
      callsToB++;
      return slowAnswer(nodeId, shards, signal, callsToB === 1 ? 0 : 10_000);
    });
    const outcome = await scatter(ctx, hedgingScope, read(checkHits));
    const hits = outcome.checked.flatMap((answer) => answer.body.hits.map((hit) => hit.id));
    expect(hits.sort()).toEqual([0, 1, 2, 3]);
    expect(canceled).toContain("b");
    const text = await ctx.metrics.exposition();
    expect(sample(text, "miroir_hedged_requests_won_total")).toBe(0);
  });

  it("never sends more hedges than the budget holds", async () => {
    const ctx = {
      ...contextAnswering((nodeId, shards, signal) =>
        nodeId === "a"
          ? slowAnswer(nodeId, shards, signal, 40)
          : { nodeId, status: 200, body: searchBody(shards) },
      ),
      hedgeBudget: createHedgeBudget(0, 0),
    } as ProxyContext;
    const outcome = await scatter(ctx, hedgingScope, read(checkHits));
    expect(outcome.checked.map((answer) => answer.nodeId)).toContain("a");
    expect(sample(await ctx.metrics.exposition(), "miroir_hedged_requests_total")).toBe(0);
  });

  it("reports the shards lost, after one hedge at most, when the slow node and its hedge both fail", async () => {
    const calls: string[] = [];
    const ctx = contextAnswering((nodeId) => {
      calls.push(nodeId);
      return new Promise((resolve) =>
        setTimeout(() => resolve({ nodeId, status: 503, body: null }), nodeId === "a" ? 40 : 0),
      );
    });
    const outcome = await scatter(ctx, hedgingScope, read(checkHits));
    expect(outcome.checked).toEqual([]);
    expect(outcome.lost).toEqual([0, 1, 2, 3]);
    // Each node's own call, plus the slow node's hedge; no retry is left once both failed.
    expect(calls.length).toBe(3);
  });
});
