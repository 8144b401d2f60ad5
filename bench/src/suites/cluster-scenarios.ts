import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BenchDocument, benchDocuments, toNdjson } from "../data/bench-documents.js";
import { startMiroirProcess } from "../processes/miroir-process.js";
import { startFanOutProxy, startUpstream } from "../processes/upstreams.js";
import {
  type ClockWindow,
  monotonicMicroseconds,
  type ProfileSummary,
  summariseProfileDir,
} from "../profile/cpu-profile-summary.js";
import type { SearchScenario, WriteComparison } from "../report/benchmark-results.js";
import { endpoint, loadIndex } from "./meili-endpoint.js";
import { type LoadShape, measureSearches, type SearchTarget } from "./search-suite.js";
import { Stoppables } from "./stoppable.js";
import {
  splitByOwner,
  type WriteRun,
  writeStraightToNodes,
  writeThroughMiroir,
} from "./write-suite.js";

export interface ClusterSearchPlan {
  readonly real: boolean;
  readonly searchDocuments: number;
  readonly shape: LoadShape;
}

export interface ClusterWritePlan {
  readonly real: boolean;
  /** Documents per round and path. */
  readonly writeDocuments: number;
  readonly writeBatchSize: number;
  /** Rounds per path and replication factor, the paths alternating. */
  readonly writeRounds: number;
  /** The replication factors compared, one Miroir each (1 and 2). */
  readonly replicationFactors: readonly number[];
}

export interface ClusterWriteOutcome {
  /** One comparison per replication factor, in `replicationFactors` order. */
  readonly writes: WriteComparison[];
  readonly profile: ProfileSummary;
}

const NODE_KEY = "miroir-bench-node-master-key";
const SHARDS = 64;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const searchPath = (uid: string) => `/indexes/${uid}/search`;

async function startNodes(real: boolean, ids: readonly string[], running: Stoppables) {
  const kind = real ? "real" : "emulated";
  return Promise.all(
    ids.map((id) => startUpstream(kind, id, NODE_KEY).then((node) => running.add(node))),
  );
}

/**
 * A 3-node cluster (emulated, or real Meilisearch with `MEILI_BIN`) and a fourth node that
 * holds every document alone: searches straight to the lone node, through the fan-out
 * floor and through Miroir at RF=1, then through Miroir at RF=2.
 */
export async function clusterSearches(
  plan: ClusterSearchPlan,
  bodies: readonly string[],
): Promise<SearchScenario[]> {
  const running = new Stoppables();
  try {
    const started = await startNodes(plan.real, ["node-0", "node-1", "node-2", "lone"], running);
    const nodes = started.slice(0, 3).map(({ id, url }) => ({ id, url }));
    const lone = started[3] as (typeof started)[number];
    const corpus = chunks(benchDocuments(plan.searchDocuments), 1_000).map(toNdjson);
    await loadIndex(endpoint(lone.url, NODE_KEY), "bench", corpus);
    const direct: SearchTarget = {
      label: "direct to one node",
      role: "direct",
      url: lone.url,
      path: searchPath("bench"),
      headers: endpoint(lone.url, NODE_KEY).headers,
    };
    const startMiroir = (replicationFactor: number) =>
      startMiroirProcess({ nodes, replicationFactor, nodeMasterKey: NODE_KEY, shards: SHARDS });
    const miroir = running.add(await startMiroir(1));
    await loadIndex(endpoint(miroir.url, null), "bench", corpus);
    const replicated = running.add(await startMiroir(2));
    await loadIndex(endpoint(replicated.url, null), "bench-rf2", corpus);
    const fanOut = running.add(await startFanOutProxy(nodes, NODE_KEY));
    const proxied = (label: string, role: SearchTarget["role"], url: string, uid: string) => ({
      label,
      role,
      url,
      path: searchPath(uid),
      headers: {},
    });
    const rf1 = await measureSearches(
      [
        direct,
        proxied("minimal fan-out proxy", "fan-out", fanOut.url, "bench"),
        proxied("Miroir, RF=1", "miroir", miroir.url, "bench"),
      ],
      bodies,
      plan.shape,
    );
    const rf2 = await measureSearches(
      [direct, proxied("Miroir, RF=2", "miroir", replicated.url, "bench-rf2")],
      bodies,
      plan.shape,
    );
    const cluster = `${plan.real ? "real Meilisearch" : "emulated"} nodes`;
    return [
      {
        id: "cluster-rf1",
        title: `3-node cluster, RF=1 (${cluster})`,
        documents: plan.searchDocuments,
        measurements: rf1,
      },
      {
        id: "cluster-rf2",
        title: `3-node cluster, RF=2 (${cluster})`,
        documents: plan.searchDocuments,
        measurements: rf2,
      },
    ];
  } finally {
    await running.stopAll();
  }
}

/**
 * Writes on a 3-node cluster, per replication factor: the same batches through Miroir and
 * straight to the nodes (split by owner beforehand), the paths alternating round by round
 * (A B, then B A, …) so that a change in the machine's load falls on both. Then one more
 * round through a profiled Miroir at RF=1 (not counted).
 */
export async function clusterWrites(
  plan: ClusterWritePlan,
  log: (line: string) => void = () => {},
  onComparison: (comparison: WriteComparison) => Promise<void> = async () => {},
): Promise<ClusterWriteOutcome> {
  const running = new Stoppables();
  try {
    const started = await startNodes(plan.real, ["node-0", "node-1", "node-2"], running);
    const nodes = started.map(({ id, url }) => ({ id, url }));
    const writes: WriteComparison[] = [];
    for (const replicationFactor of plan.replicationFactors) {
      const miroir = running.add(
        await startMiroirProcess({
          nodes,
          replicationFactor,
          nodeMasterKey: NODE_KEY,
          shards: SHARDS,
        }),
      );
      const comparison = await compareWrites(
        plan,
        nodes,
        endpoint(miroir.url, null),
        replicationFactor,
        log,
      );
      writes.push(comparison);
      await running.stop(miroir);
      await onComparison(comparison);
    }
    const profile = await profileWrites(plan, nodes);
    return { writes, profile };
  } finally {
    await running.stopAll();
  }
}

function writeBatches(plan: ClusterWritePlan, round: number): BenchDocument[][] {
  return chunks(benchDocuments(plan.writeDocuments, 1_000_000 * (round + 1)), plan.writeBatchSize);
}

/** The run at the median of the runs' documents/s (the lower middle of an even count). */
export function medianRun(runs: readonly WriteRun[]): WriteRun {
  const sorted = [...runs].sort((a, b) => a.documentsPerSecond - b.documentsPerSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)] as WriteRun;
}

async function compareWrites(
  plan: ClusterWritePlan,
  nodes: readonly { id: string; url: string }[],
  miroir: ReturnType<typeof endpoint>,
  replicationFactor: number,
  log: (line: string) => void,
): Promise<WriteComparison> {
  const nodeEndpoints = nodes.map((node) => endpoint(node.url, NODE_KEY));
  const directRuns: WriteRun[] = [];
  const miroirRuns: WriteRun[] = [];
  for (let round = 0; round < plan.writeRounds; round++) {
    const batches = writeBatches(plan, round);
    const split = splitByOwner(batches, nodes, SHARDS, replicationFactor);
    const ndjson = batches.map(toNdjson);
    const uid = `writes-rf${replicationFactor}`;
    const straight = async () =>
      directRuns.push(
        await writeStraightToNodes(
          nodeEndpoints,
          `${uid}-direct-${round}`,
          split,
          plan.writeDocuments,
        ),
      );
    const through = async () =>
      miroirRuns.push(
        await writeThroughMiroir(miroir, `${uid}-miroir-${round}`, ndjson, plan.writeDocuments),
      );
    if (round % 2 === 0) {
      await straight();
      await through();
    } else {
      await through();
      await straight();
    }
    const rate = (runs: WriteRun[]) => runs.at(-1)?.documentsPerSecond.toFixed(0);
    log(
      `writes RF=${replicationFactor} round ${round + 1}/${plan.writeRounds}: direct ${rate(directRuns)}, Miroir ${rate(miroirRuns)} documents/s`,
    );
  }
  return {
    replicationFactor,
    direct: medianRun(directRuns),
    miroir: medianRun(miroirRuns),
    rounds: plan.writeRounds,
    directRuns,
    miroirRuns,
  };
}

/** One more write round through a profiled Miroir (not counted in the figures). */
async function profileWrites(
  plan: ClusterWritePlan,
  nodes: readonly { id: string; url: string }[],
): Promise<ProfileSummary> {
  const dir = await mkdtemp(join(tmpdir(), "miroir-profile-"));
  try {
    const profiled = await startMiroirProcess({
      nodes,
      replicationFactor: 1,
      nodeMasterKey: NODE_KEY,
      shards: SHARDS,
      cpuProfileDir: dir,
    });
    let window: ClockWindow;
    try {
      const batches = writeBatches(plan, plan.writeRounds).map(toNdjson);
      const fromUs = monotonicMicroseconds();
      await writeThroughMiroir(
        endpoint(profiled.url, null),
        "writes-profiled",
        batches,
        plan.writeDocuments,
      );
      window = { fromUs, toUs: monotonicMicroseconds() };
    } finally {
      await profiled.stop();
    }
    return await summariseProfileDir("writes", dir, window);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
