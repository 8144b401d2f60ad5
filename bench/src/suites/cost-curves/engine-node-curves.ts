import { benchDocuments, toNdjson } from "../../data/bench-documents.js";
import { startUpstream } from "../../processes/upstreams.js";
import type { CostCurve, CurvePoint } from "../../report/cost-curve.js";
import { endpoint, loadIndex } from "../meili-endpoint.js";
import { Stoppables } from "../stoppable.js";
import { type CurveShape, cpuPerSearch, p50InTurns } from "./curve-load.js";
import { startInstrumentedMiroir } from "./instrumented-miroir-process.js";

export interface EngineNodePlan {
  readonly real: boolean;
  readonly nodeCounts: readonly number[];
  readonly documents: number;
  readonly shape: CurveShape;
}

const NODE_KEY = "miroir-bench-node-master-key";

/**
 * Search latency as the nodes searched grow, on nodes that really index and search (real
 * Meilisearch with `MEILI_BIN`, else the testkit's emulated nodes), each node in its own
 * process: the same documents through Miroir over 1, 2, 4, … nodes, against one node
 * holding them all, measured in turns.
 */
export async function engineNodeCurves(
  plan: EngineNodePlan,
  bodies: readonly string[],
): Promise<CostCurve[]> {
  const kind = plan.real ? "real" : "emulated";
  const running = new Stoppables();
  try {
    const count = Math.max(...plan.nodeCounts);
    const started = await Promise.all(
      [...Array.from({ length: count }, (_, i) => `node-${i}`), "lone"].map((id) =>
        startUpstream(kind, id, NODE_KEY).then((node) => running.add(node)),
      ),
    );
    const lone = started.at(-1) as (typeof started)[number];
    const corpus = Array.from({ length: Math.ceil(plan.documents / 1_000) }, (_, i) =>
      toNdjson(benchDocuments(Math.min(1_000, plan.documents - i * 1_000), i * 1_000)),
    );
    const direct = endpoint(lone.url, NODE_KEY);
    await loadIndex(direct, "bench", corpus);
    const latency: CurvePoint[] = [];
    const single: CurvePoint[] = [];
    const cpu: CurvePoint[] = [];
    for (const n of plan.nodeCounts) {
      const nodes = started.slice(0, n).map(({ id, url }) => ({ id, url }));
      const miroir = running.add(
        await startInstrumentedMiroir({
          nodes,
          replicationFactor: 1,
          nodeMasterKey: NODE_KEY,
          shards: 64,
        }),
      );
      try {
        const uid = `curve-${n}`;
        await loadIndex(endpoint(miroir.url, null), uid, corpus);
        const target = { url: miroir.url, path: `/indexes/${uid}/search` };
        const [miroirP50, directP50] = await p50InTurns(
          [target, { url: lone.url, path: "/indexes/bench/search", headers: direct.headers }],
          bodies,
          plan.shape,
        );
        latency.push({ x: n, y: miroirP50 as number });
        single.push({ x: n, y: directP50 as number });
        cpu.push({ x: n, y: await cpuPerSearch(miroir, target, bodies, plan.shape) });
      } finally {
        await running.stop(miroir);
      }
    }
    const nodesLabel = plan.real ? "real Meilisearch nodes" : "emulated nodes";
    const setting = `${plan.documents.toLocaleString("en-US")} documents on ${nodesLabel}, each node in its own process, 64 shards, RF 1; the same documents on one more node alone for the direct path.`;
    const x = { label: "nodes searched", unit: "node searched", scale: "log2" } as const;
    return [
      {
        id: "search-latency-engine-nodes",
        title: `Search latency as the nodes searched grow (${nodesLabel})`,
        x,
        y: { label: "p50 latency, one connection", unit: "ms" },
        series: [
          { label: "Miroir", points: latency, fitted: true },
          { label: "one node holding every document", points: single, fitted: false },
        ],
        reference: 1,
        method: `${setting} p50 over one keep-alive connection, Miroir and the lone node taking turns in short slices, each keeping its least disturbed slice; every node shares the same 2 cores.`,
      },
      {
        id: "search-cpu-engine-nodes",
        title: `Proxy CPU per search as the nodes searched grow (${nodesLabel})`,
        x,
        y: { label: "CPU time per search", unit: "ms" },
        series: [{ label: "Miroir", points: cpu, fitted: true }],
        method: `${setting} CPU time of the Miroir process over a saturating load of 4 connections, per search.`,
      },
    ];
  } finally {
    await running.stopAll();
  }
}
