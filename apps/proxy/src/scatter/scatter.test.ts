import { checkSearchResponse } from "@miroir/merger";
import { createTopology } from "@miroir/router";
import { describe, expect, it } from "vitest";
import { sample } from "../../test/observability/metric-samples.js";
import type { ProxyContext } from "../context.js";
import type { NodeRequest, NodeResponse } from "../node-client/index.js";
import { createProxyMetrics } from "../observability/index.js";
import type { ReadScope } from "./read-scope.js";
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
  },
};

/** A context whose node client answers with `answer`, the shards read from the request. */
function contextAnswering(
  answer: (nodeId: string, shards: readonly number[]) => NodeResponse,
): ProxyContext {
  return {
    logger: { warn: () => {} },
    metrics: createProxyMetrics(),
    cluster: { topology, health: new Map() },
    nodes: {
      call: async (nodeId: string, request: NodeRequest) =>
        answer(nodeId, (request.json as { shards: number[] }).shards),
    },
  } as unknown as ProxyContext;
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
