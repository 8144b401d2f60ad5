import type { UpstreamNode } from "../../processes/miroir-process.js";
import { startFanOutProxy } from "../../processes/upstreams.js";
import type { CostCurve, CurvePoint } from "../../report/cost-curve.js";
import { countNodeCalls } from "../node-calls.js";
import { Stoppables } from "../stoppable.js";
import { type CurveShape, cpuPerSearch, p50InTurns } from "./curve-load.js";
import { startInstrumentedMiroir } from "./instrumented-miroir-process.js";
import { startUpstreamFleet } from "./upstream-fleet.js";

const PATH = "/indexes/bench/search";

export interface SearchCurvePlan {
  /** Upstreams searched, for the curve over nodes (S = `shardsForNodes`). */
  readonly nodeCounts: readonly number[];
  readonly shardsForNodes: number;
  /** Shard counts, for the curve over S (on `nodesForShards` upstreams). */
  readonly shardCounts: readonly number[];
  readonly nodesForShards: number;
  readonly shape: CurveShape;
}

/**
 * What one search costs the proxy as the nodes it asks and the shards grow, on trivial
 * upstreams (canned answers at once, so only the proxies' own work shows). Per point: p50
 * latency over one connection of Miroir and of the minimal fan-out proxy over the same
 * upstreams, taking turns, and Miroir's CPU time per search under a saturating load.
 * Before timing, the upstreams' counters check that one search asks every one of them once.
 */
export async function searchCurves(
  plan: SearchCurvePlan,
  bodies: readonly string[],
): Promise<CostCurve[]> {
  const running = new Stoppables();
  try {
    const fleet = running.add(
      await startUpstreamFleet("trivial", Math.max(...plan.nodeCounts, plan.nodesForShards), 4),
    );
    const latency: CurvePoint[] = [];
    const floor: CurvePoint[] = [];
    const cpu: CurvePoint[] = [];
    for (const count of plan.nodeCounts) {
      const nodes = fleet.nodes.slice(0, count);
      const point = await measurePoint(
        running,
        nodes,
        plan.shardsForNodes,
        bodies,
        plan.shape,
        true,
      );
      latency.push({ x: count, y: point.miroirP50 });
      floor.push({ x: count, y: point.floorP50 as number });
      cpu.push({ x: count, y: point.cpuMs });
    }
    const shardLatency: CurvePoint[] = [];
    const shardCpu: CurvePoint[] = [];
    for (const shards of plan.shardCounts) {
      const nodes = fleet.nodes.slice(0, plan.nodesForShards);
      const point = await measurePoint(running, nodes, shards, bodies, plan.shape, false);
      shardLatency.push({ x: shards, y: point.miroirP50 });
      shardCpu.push({ x: shards, y: point.cpuMs });
    }
    const overNodes = `Trivial upstreams (canned answers), ${plan.shardsForNodes} shards, RF 1, one group: every search asks every upstream once (checked on the upstreams' request counters before timing).`;
    const overShards = `${plan.nodesForShards} trivial upstreams, RF 1, one group; each node query carries the \`_miroir_shard IN […]\` filter of the shards its node answers for, so it lists S/${plan.nodesForShards} shards.`;
    const xNodes = { label: "nodes searched", unit: "node searched", scale: "log2" } as const;
    const xShards = { label: "shards", unit: "shard", scale: "log2" } as const;
    return [
      {
        id: "search-latency-nodes",
        title: "Search latency as the nodes searched grow",
        x: xNodes,
        y: { label: "p50 latency, one connection", unit: "ms" },
        series: [
          { label: "Miroir", points: latency, fitted: true },
          { label: "minimal fan-out proxy", points: floor, fitted: true },
        ],
        reference: 1,
        fixed: { shards: plan.shardsForNodes },
        method: `${overNodes} p50 over one keep-alive connection, Miroir and the SPEC §11 fan-out floor taking turns in short slices, each keeping its least disturbed slice.`,
      },
      {
        id: "search-cpu-nodes",
        title: "Proxy CPU per search as the nodes searched grow",
        x: xNodes,
        y: { label: "CPU time per search", unit: "ms" },
        series: [{ label: "Miroir", points: cpu, fitted: true }],
        fixed: { shards: plan.shardsForNodes },
        method: `${overNodes} CPU time (user + system) of the Miroir process over a saturating load of 4 connections, divided by the searches answered.`,
      },
      {
        id: "search-latency-shards",
        title: "Search latency as S grows over the same nodes",
        x: xShards,
        y: { label: "p50 latency, one connection", unit: "ms" },
        series: [{ label: "Miroir", points: shardLatency, fitted: true }],
        fixed: { nodes: plan.nodesForShards },
        method: `${overShards} p50 over one keep-alive connection, the least disturbed of several short slices.`,
      },
      {
        id: "search-cpu-shards",
        title: "Proxy CPU per search as S grows over the same nodes",
        x: xShards,
        y: { label: "CPU time per search", unit: "ms" },
        series: [{ label: "Miroir", points: shardCpu, fitted: true }],
        fixed: { nodes: plan.nodesForShards },
        method: `${overShards} CPU time of the Miroir process over a saturating load of 4 connections, per search.`,
      },
    ];
  } finally {
    await running.stopAll();
  }
}

async function measurePoint(
  running: Stoppables,
  nodes: readonly UpstreamNode[],
  shards: number,
  bodies: readonly string[],
  shape: CurveShape,
  overNodes: boolean,
): Promise<{ miroirP50: number; floorP50: number | null; cpuMs: number }> {
  const miroir = running.add(
    await startInstrumentedMiroir({ nodes, replicationFactor: 1, nodeMasterKey: null, shards }),
  );
  const floor = overNodes ? running.add(await startFanOutProxy(nodes, null)) : null;
  try {
    const target = { url: miroir.url, path: PATH };
    if (overNodes) {
      // x is "nodes searched": make sure it is (a node holding no shard would not be asked).
      const calls = await countNodeCalls(
        { ...target, label: "Miroir", role: "miroir", headers: {} },
        nodes,
        bodies[0] as string,
        10,
      );
      const asked = calls.byKind.search ?? 0;
      if (Math.abs(asked - nodes.length) > 0.01) {
        throw new Error(`one search asked ${asked} upstreams, not all ${nodes.length}`);
      }
    }
    const targets = floor === null ? [target] : [target, { url: floor.url, path: PATH }];
    const [miroirP50, floorP50] = await p50InTurns(targets, bodies, shape);
    const cpuMs = await cpuPerSearch(miroir, target, bodies, shape);
    return { miroirP50: miroirP50 as number, floorP50: floorP50 ?? null, cpuMs };
  } finally {
    if (floor !== null) await running.stop(floor);
    await running.stop(miroir);
  }
}
