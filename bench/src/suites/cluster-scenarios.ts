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

export interface ClusterPlan {
  readonly real: boolean;
  readonly searchDocuments: number;
  readonly writeDocuments: number;
  readonly writeBatchSize: number;
  readonly writeRounds: number;
  readonly shape: LoadShape;
}

export interface ClusterOutcome {
  readonly scenarios: SearchScenario[];
  readonly writes: WriteComparison;
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

/**
 * A 3-node cluster (emulated, or real Meilisearch with `MEILI_BIN`) and a fourth node that
 * holds every document alone. Searches: straight to the lone node, through the fan-out
 * floor and through Miroir at RF=1, then through Miroir at RF=2; writes: the same batches
 * through Miroir and straight to the nodes.
 */
export async function clusterScenarios(
  plan: ClusterPlan,
  bodies: readonly string[],
): Promise<ClusterOutcome> {
  const kind = plan.real ? "real" : "emulated";
  const running = new Stoppables();
  try {
    const started = await Promise.all(
      ["node-0", "node-1", "node-2", "lone"].map((id) =>
        startUpstream(kind, id, NODE_KEY).then((node) => running.add(node)),
      ),
    );
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
    await running.stop(fanOut);
    await running.stop(replicated);

    const writes = await compareWrites(plan, nodes, endpoint(miroir.url, null));
    await running.stop(miroir);
    const profile = await profileWrites(plan, nodes);

    const cluster = `${plan.real ? "real Meilisearch" : "emulated"} nodes`;
    return {
      scenarios: [
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
      ],
      writes,
      profile,
    };
  } finally {
    await running.stopAll();
  }
}

function writeBatches(plan: ClusterPlan, round: number): BenchDocument[][] {
  return chunks(benchDocuments(plan.writeDocuments, 1_000_000 * (round + 1)), plan.writeBatchSize);
}

async function compareWrites(
  plan: ClusterPlan,
  nodes: readonly { id: string; url: string }[],
  miroir: ReturnType<typeof endpoint>,
): Promise<WriteComparison> {
  const nodeEndpoints = nodes.map((node) => endpoint(node.url, NODE_KEY));
  const best = (runs: WriteRun[]) =>
    runs.reduce((a, b) => (b.documentsPerSecond > a.documentsPerSecond ? b : a));
  const directRuns: WriteRun[] = [];
  const miroirRuns: WriteRun[] = [];
  for (let round = 0; round < plan.writeRounds; round++) {
    const batches = writeBatches(plan, round);
    const split = splitByOwner(batches, nodes, SHARDS, 1);
    directRuns.push(
      await writeStraightToNodes(
        nodeEndpoints,
        `writes-direct-${round}`,
        split,
        plan.writeDocuments,
      ),
    );
    miroirRuns.push(
      await writeThroughMiroir(
        miroir,
        `writes-miroir-${round}`,
        batches.map(toNdjson),
        plan.writeDocuments,
      ),
    );
  }
  return {
    replicationFactor: 1,
    direct: best(directRuns),
    miroir: best(miroirRuns),
    rounds: plan.writeRounds,
  };
}

/** One more write round through a profiled Miroir (not counted in the figures). */
async function profileWrites(
  plan: ClusterPlan,
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
