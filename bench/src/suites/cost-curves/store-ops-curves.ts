import { benchDocuments, toNdjson } from "../../data/bench-documents.js";
import type { UpstreamNode } from "../../processes/miroir-process.js";
import {
  type RedisProcess,
  redisCommandCalls,
  startRedisProcess,
} from "../../processes/redis-process.js";
import type { CostCurve, CurvePoint } from "../../report/cost-curve.js";
import {
  addNdjson,
  createIndex,
  endpoint,
  type MeiliEndpoint,
  waitForTasks,
} from "../meili-endpoint.js";
import { Stoppables } from "../stoppable.js";
import { type InstrumentedMiroir, startInstrumentedMiroir } from "./instrumented-miroir-process.js";
import { startUpstreamFleet } from "./upstream-fleet.js";

export interface StoreOpsPlan {
  readonly nodeCounts: readonly number[];
  readonly searches: number;
  readonly writes: number;
  readonly idleMs: number;
}

/** Task store calls and what the backend ran for them (SQL statements or Redis commands). */
interface Operations {
  readonly calls: number;
  readonly backend: number;
}

/** Cumulative operations of one proxy and its backend, read at `at` (ms). */
interface Counters extends Operations {
  readonly at: number;
}

type Backend = "sqlite" | "redis";

interface PointCosts {
  /** Per second with no traffic: background work (task poller, topology follower, …). */
  readonly idle: Operations;
  readonly perSearch: Operations;
  readonly perWrite: Operations;
  readonly perWriteWaited: Operations;
}

async function counters(miroir: InstrumentedMiroir, redis: RedisProcess | null): Promise<Counters> {
  const store = await miroir.store();
  const calls = Object.values(store.calls).reduce((sum, count) => sum + count, 0);
  const backend =
    redis === null
      ? store.sqlStatements
      : [...(await redisCommandCalls(redis.port)).values()].reduce((sum, n) => sum + n, 0);
  return { calls, backend, at: performance.now() };
}

/** (after − before − idle rate × elapsed) / count, for each counter. */
function perOperation(
  before: Counters,
  after: Counters,
  idle: Operations,
  count: number,
): Operations {
  const seconds = (after.at - before.at) / 1000;
  return {
    calls: (after.calls - before.calls - idle.calls * seconds) / count,
    backend: (after.backend - before.backend - idle.backend * seconds) / count,
  };
}

async function waitedWrite(target: MeiliEndpoint, uid: string, batch: string): Promise<void> {
  const task = await addNdjson(target, uid, batch);
  // As a client's waitForTask does: read the task every 50 ms until it is done.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await fetch(`${target.url}/tasks/${task}`);
    const status = ((await answer.json()) as { status?: string }).status;
    if (status === "succeeded") return;
    if (status === "failed" || status === "canceled" || Date.now() > deadline) {
      throw new Error(`write task ${task} ended ${status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function measurePoint(
  nodes: readonly UpstreamNode[],
  backend: Backend,
  redis: RedisProcess | null,
  plan: StoreOpsPlan,
  running: Stoppables,
): Promise<PointCosts> {
  const miroir = running.add(
    await startInstrumentedMiroir({
      nodes,
      replicationFactor: 1,
      nodeMasterKey: null,
      shards: 64,
      countStore: true,
      ...(redis === null ? {} : { redisUrl: redis.url }),
    }),
  );
  try {
    const target = endpoint(miroir.url, null);
    const uid = `ops-${backend}-${nodes.length}`;
    await waitForTasks(target, [await createIndex(target, uid)]);
    let next = 0;
    const batch = () => {
      next += 5;
      return toNdjson(benchDocuments(5, next));
    };
    const search = () =>
      fetch(`${miroir.url}/indexes/${uid}/search`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ q: "ka", limit: 20 }),
      }).then((answer) => answer.arrayBuffer());
    // Warm up: the catalog caches the index and its settings on first use.
    await waitedWrite(target, uid, batch());
    for (let i = 0; i < 5; i++) await search();

    const idleStart = await counters(miroir, redis);
    await new Promise((resolve) => setTimeout(resolve, plan.idleMs));
    const idleEnd = await counters(miroir, redis);
    const seconds = (idleEnd.at - idleStart.at) / 1000;
    const idle = {
      calls: (idleEnd.calls - idleStart.calls) / seconds,
      backend: (idleEnd.backend - idleStart.backend) / seconds,
    };

    const searchStart = await counters(miroir, redis);
    for (let i = 0; i < plan.searches; i++) await search();
    const perSearch = perOperation(searchStart, await counters(miroir, redis), idle, plan.searches);

    const writeStart = await counters(miroir, redis);
    const accepted: number[] = [];
    for (let i = 0; i < plan.writes; i++) accepted.push(await addNdjson(target, uid, batch()));
    const perWrite = perOperation(writeStart, await counters(miroir, redis), idle, plan.writes);
    await waitForTasks(target, accepted);

    const waitedStart = await counters(miroir, redis);
    for (let i = 0; i < plan.writes; i++) await waitedWrite(target, uid, batch());
    const perWriteWaited = perOperation(
      waitedStart,
      await counters(miroir, redis),
      idle,
      plan.writes,
    );
    return { idle, perSearch, perWrite, perWriteWaited };
  } finally {
    await running.stop(miroir);
  }
}

/**
 * Task store operations behind client requests, on SQLite and on Redis, as the nodes of
 * the fleet grow: Miroir runs with its task store wrapped so that every call it makes is
 * counted (method by method), SQLite statements are counted inside better-sqlite3 and
 * Redis commands are read from the server's `INFO commandstats`. The background rate
 * (measured idle first) is taken off each figure.
 */
export async function storeOpsCurves(plan: StoreOpsPlan): Promise<CostCurve[]> {
  const running = new Stoppables();
  try {
    const fleet = running.add(
      await startUpstreamFleet("emulated", Math.max(...plan.nodeCounts), 2),
    );
    const redis = running.add(await startRedisProcess());
    const points = new Map<Backend, { x: number; costs: PointCosts }[]>([
      ["sqlite", []],
      ["redis", []],
    ]);
    for (const count of plan.nodeCounts) {
      for (const backend of ["sqlite", "redis"] as const) {
        const costs = await measurePoint(
          fleet.nodes.slice(0, count),
          backend,
          backend === "redis" ? redis : null,
          plan,
          running,
        );
        points.get(backend)?.push({ x: count, costs });
      }
    }
    const series = (pick: (costs: PointCosts) => Operations) => {
      const of = (backend: Backend, counter: "calls" | "backend"): CurvePoint[] =>
        (points.get(backend) ?? []).map(({ x, costs }) => ({ x, y: pick(costs)[counter] }));
      return [
        { label: "task store calls, SQLite", points: of("sqlite", "calls"), fitted: true },
        { label: "task store calls, Redis", points: of("redis", "calls"), fitted: true },
        { label: "SQL statements", points: of("sqlite", "backend"), fitted: true },
        { label: "Redis commands", points: of("redis", "backend"), fitted: true },
      ];
    };
    const x = { label: "nodes", unit: "node", scale: "log2" } as const;
    const setting = `Emulated nodes, 64 shards, RF 1, one Miroir process; the background rate measured over ${plan.idleMs / 1000} s without traffic is taken off.`;
    return [
      {
        id: "store-ops-write",
        title: "Task store operations per client write, until accepted",
        x,
        y: { label: "operations per write", unit: "ops" },
        series: series((costs) => costs.perWrite),
        method: `${setting} ${plan.writes} writes of 5 documents, one after the other, each counted from the request until Miroir's 202.`,
      },
      {
        id: "store-ops-write-waited",
        title: "Task store operations per client write, waited for until succeeded",
        x,
        y: { label: "operations per write", unit: "ops" },
        series: series((costs) => costs.perWriteWaited),
        method: `${setting} ${plan.writes} writes of 5 documents, each followed by \`GET /tasks/{uid}\` every 50 ms until it succeeded (what a client's waitForTask does), all counted.`,
      },
      {
        id: "store-ops-search",
        title: "Task store operations per search",
        x,
        y: { label: "operations per search", unit: "ops" },
        series: series((costs) => costs.perSearch),
        method: `${setting} ${plan.searches} searches, one after the other.`,
      },
      {
        id: "store-ops-idle",
        title: "Task store operations per second without traffic",
        x,
        y: { label: "operations per second", unit: "ops/s" },
        series: series((costs) => costs.idle),
        method: `${setting.split(";")[0]}. Counted over ${plan.idleMs / 1000} s with no client request, after the index was created and written to.`,
      },
    ];
  } finally {
    await running.stopAll();
  }
}
