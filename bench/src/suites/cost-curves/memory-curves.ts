import { Pool } from "undici";
import type { CostCurve, CurvePoint } from "../../report/cost-curve.js";
import { Stoppables } from "../stoppable.js";
import { type InstrumentedMiroir, startInstrumentedMiroir } from "./instrumented-miroir-process.js";
import { startUpstreamFleet } from "./upstream-fleet.js";

export interface MemoryCurvePlan {
  readonly connections: readonly number[];
  readonly nodeCounts: readonly number[];
  readonly indexCounts: readonly number[];
}

const MIB = 2 ** 20;
const SEARCH = JSON.stringify({ q: "ka", limit: 20 });

async function search(pool: Pool, uid: string): Promise<void> {
  const answer = await pool.request({
    method: "POST",
    path: `/indexes/${uid}/search`,
    headers: { "content-type": "application/json" },
    body: SEARCH,
  });
  await answer.body.arrayBuffer();
  if (answer.statusCode !== 200) throw new Error(`search on ${uid} answered ${answer.statusCode}`);
}

/**
 * RSS and V8 heap in use (MiB) after full garbage collections: read twice, 200 ms apart,
 * keeping the second, so that pages freed by the first collection are handed back first.
 */
async function footprint(miroir: InstrumentedMiroir): Promise<{ rss: number; heap: number }> {
  await miroir.memory();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const usage = await miroir.memory();
  return { rss: usage.rss / MIB, heap: usage.heapUsed / MIB };
}

function memorySeries(rss: CurvePoint[], heap: CurvePoint[]) {
  return [
    { label: "RSS", points: rss, fitted: true },
    { label: "V8 heap used", points: heap, fitted: true },
  ];
}

/**
 * Memory of one Miroir process on trivial upstreams, read inside the process after two
 * full garbage collections: as client connections stay open, as the configured nodes grow
 * (each searched, so each has a pool and connections), and as the indexes searched grow
 * (each cached in the index catalog).
 */
export async function memoryCurves(plan: MemoryCurvePlan): Promise<CostCurve[]> {
  const running = new Stoppables();
  try {
    const fleet = running.add(await startUpstreamFleet("trivial", Math.max(...plan.nodeCounts), 4));
    const three = fleet.nodes.slice(0, 3);
    const options = { replicationFactor: 1, nodeMasterKey: null, shards: 64 } as const;

    const connectionRss: CurvePoint[] = [];
    const connectionHeap: CurvePoint[] = [];
    for (const connections of plan.connections) {
      // A fresh process per point, and connections opened all at once with `GET /health`
      // (answered by Miroir itself), so that none has reached the server's 5 s keep-alive
      // timeout when the memory is read.
      const miroir = running.add(await startInstrumentedMiroir({ nodes: three, ...options }));
      const pool =
        connections === 0
          ? null
          : new Pool(miroir.url, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
      try {
        if (pool !== null) {
          await Promise.all(
            Array.from({ length: connections }, async () => {
              const answer = await pool.request({ method: "GET", path: "/health" });
              await answer.body.arrayBuffer();
            }),
          );
        }
        const { rss, heap } = await footprint(miroir);
        connectionRss.push({ x: connections, y: rss });
        connectionHeap.push({ x: connections, y: heap });
      } finally {
        await pool?.destroy();
        await running.stop(miroir);
      }
    }

    const nodeRss: CurvePoint[] = [];
    const nodeHeap: CurvePoint[] = [];
    for (const count of plan.nodeCounts) {
      const miroir = running.add(
        await startInstrumentedMiroir({
          ...options,
          nodes: fleet.nodes.slice(0, count),
          shards: 1_024,
        }),
      );
      const pool = new Pool(miroir.url, { connections: 4 });
      try {
        for (let i = 0; i < 3; i++)
          await Promise.all([0, 1, 2, 3].map(() => search(pool, "bench")));
        const { rss, heap } = await footprint(miroir);
        nodeRss.push({ x: count, y: rss });
        nodeHeap.push({ x: count, y: heap });
      } finally {
        await pool.close();
        await running.stop(miroir);
      }
    }

    const indexRss: CurvePoint[] = [];
    const indexHeap: CurvePoint[] = [];
    const overIndexes = running.add(await startInstrumentedMiroir({ nodes: three, ...options }));
    const pool = new Pool(overIndexes.url, { connections: 4 });
    try {
      let searched = 0;
      for (const count of plan.indexCounts) {
        while (searched < count) {
          const batch = Array.from(
            { length: Math.min(4, count - searched) },
            (_, i) => searched + i,
          );
          await Promise.all(batch.map((i) => search(pool, `index-${i}`)));
          searched += batch.length;
        }
        const { rss, heap } = await footprint(overIndexes);
        indexRss.push({ x: count, y: rss });
        indexHeap.push({ x: count, y: heap });
      }
    } finally {
      await pool.close();
      await running.stop(overIndexes);
    }

    const y = { label: "memory after a full GC", unit: "MiB" };
    return [
      {
        id: "memory-connections",
        title: "Proxy memory as open client connections grow",
        x: { label: "open client connections", unit: "connection", scale: "linear" },
        y,
        series: memorySeries(connectionRss, connectionHeap),
        method:
          "A fresh Miroir process per point over 3 trivial upstreams; that many client connections are opened at once by one `GET /health` each and are still open (keep-alive) when the memory is read, inside the process after two full garbage collections.",
      },
      {
        id: "memory-nodes",
        title: "Proxy memory as the configured nodes grow",
        x: { label: "nodes", unit: "node", scale: "log2" },
        y,
        series: memorySeries(nodeRss, nodeHeap),
        method:
          "A fresh Miroir process per point over that many trivial upstreams (1,024 shards, so every node holds some), after 12 searches over 4 connections: each node has its health record, its keep-alive pool and open connections.",
      },
      {
        id: "memory-indexes",
        title: "Proxy memory as the indexes searched grow",
        x: { label: "indexes searched", unit: "index", scale: "linear" },
        y,
        series: memorySeries(indexRss, indexHeap),
        method:
          "One Miroir process over 3 trivial upstreams (which answer for any index uid); each point searches that many distinct indexes in all, so the index catalog holds each index's existence, primary key and merge settings.",
      },
    ];
  } finally {
    await running.stopAll();
  }
}
