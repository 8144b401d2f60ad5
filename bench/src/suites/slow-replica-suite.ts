import { startRelay } from "@miroir/testkit";
import { benchDocuments, toNdjson } from "../data/bench-documents.js";
import { type LatencySummary, summariseSamples } from "../load/latency-summary.js";
import { type LoadSample, runLoad } from "../load/load-loop.js";
import { type MiroirProcess, startMiroirProcess } from "../processes/miroir-process.js";
import { startUpstream } from "../processes/upstreams.js";
import { endpoint, loadIndex } from "./meili-endpoint.js";
import { Stoppables } from "./stoppable.js";

/** One proxy's searches while a replica is slow, and what they cost the nodes. */
export interface SlowReplicaPath {
  readonly label: string;
  readonly latency: LatencySummary;
  /** Node search requests per client search (1 per covering node, more with hedges). */
  readonly nodeRequestsPerSearch: number;
  readonly hedgesSent: number;
  readonly hedgesWon: number;
}

/** Search tail latency over RF=2 with one replica behind a delaying relay. */
export interface SlowReplicaRun {
  readonly upstream: "real" | "emulated";
  readonly documents: number;
  /** What the relay adds to every answer of the slow replica, ms. */
  readonly delayMs: number;
  readonly withoutHedging: SlowReplicaPath;
  readonly withHedging: SlowReplicaPath;
}

export interface SlowReplicaOptions {
  readonly real: boolean;
  readonly documents: number;
  readonly delayMs: number;
  /** Measured time per proxy, split over the rounds. */
  readonly measureMs: number;
  readonly rounds: number;
  readonly bodies: readonly string[];
}

const NODE_KEY = "miroir-bench-node-master-key";
const SHARDS = 16;

/** Round-robin replicas and no hedging: every search waits for the slow replica's shards. */
const PLAIN = {
  replica_selection: { strategy: "round_robin" },
  hedging: { enabled: false },
};

/**
 * Two nodes holding every shard (RF=2), the second behind a loopback relay that holds its
 * answers for `delayMs`. The same searches, one connection, go in alternating slices
 * through a Miroir with round-robin replicas and no hedging and through one with the
 * defaults (adaptive choice, hedging); node requests are read from each proxy's metrics.
 */
export async function measureSlowReplica(options: SlowReplicaOptions): Promise<SlowReplicaRun> {
  const running = new Stoppables();
  try {
    const kind = options.real ? "real" : "emulated";
    const [fast, slow] = await Promise.all(
      ["node-0", "node-1"].map((id) =>
        startUpstream(kind, id, NODE_KEY).then((node) => running.add(node)),
      ),
    );
    if (fast === undefined || slow === undefined) throw new Error("two nodes did not start");
    const relay = await startRelay({ target: slow.url });
    running.add({ stop: () => relay.close() });
    const nodes = [
      { id: fast.id, url: fast.url },
      { id: slow.id, url: relay.url },
    ];
    const start = (extraConfig: Record<string, unknown>) =>
      startMiroirProcess({
        nodes,
        replicationFactor: 2,
        nodeMasterKey: NODE_KEY,
        shards: SHARDS,
        extraConfig,
      }).then((miroir) => running.add(miroir));
    const plain = await start(PLAIN);
    const hedged = await start({});
    const corpus: string[] = [];
    const documents = benchDocuments(options.documents);
    for (let i = 0; i < documents.length; i += 1_000) {
      corpus.push(toNdjson(documents.slice(i, i + 1_000)));
    }
    await loadIndex(endpoint(plain.url, null), "bench", corpus);
    relay.delay(options.delayMs);

    const paths = [
      { label: "round-robin replicas, no hedging", miroir: plain },
      { label: "adaptive replicas and hedging (defaults)", miroir: hedged },
    ];
    const load = (miroir: MiroirProcess, durationMs: number, warmupMs = 0) =>
      runLoad({
        url: miroir.url,
        path: "/indexes/bench/search",
        bodies: options.bodies,
        connections: 1,
        durationMs,
        warmupMs,
        maxRequests: 20_000,
      });
    for (const path of paths) await load(path.miroir, 0, 1_000);
    const before = await Promise.all(paths.map((path) => nodeCounts(path.miroir)));
    const samples: LoadSample[][] = paths.map(() => []);
    for (let round = 0; round < options.rounds; round++) {
      for (let turn = 0; turn < paths.length; turn++) {
        const at = (round + turn) % paths.length;
        const path = paths[at];
        if (path === undefined) continue;
        samples[at]?.push(await load(path.miroir, options.measureMs / options.rounds));
      }
    }
    const after = await Promise.all(paths.map((path) => nodeCounts(path.miroir)));
    const [withoutHedging, withHedging] = paths.map((path, i): SlowReplicaPath => {
      const latency = summariseSamples(samples[i] ?? []);
      const start = before[i] as NodeCounts;
      const end = after[i] as NodeCounts;
      return {
        label: path.label,
        latency,
        nodeRequestsPerSearch: (end.searches - start.searches) / Math.max(1, latency.requests),
        hedgesSent: end.hedgesSent - start.hedgesSent,
        hedgesWon: end.hedgesWon - start.hedgesWon,
      };
    });
    return {
      upstream: kind,
      documents: options.documents,
      delayMs: options.delayMs,
      withoutHedging: withoutHedging as SlowReplicaPath,
      withHedging: withHedging as SlowReplicaPath,
    };
  } finally {
    await running.stopAll();
  }
}

interface NodeCounts {
  readonly searches: number;
  readonly hedgesSent: number;
  readonly hedgesWon: number;
}

/** Node search requests (every node) and hedges so far, from the proxy's metrics. */
async function nodeCounts(miroir: MiroirProcess): Promise<NodeCounts> {
  const text = await (await fetch(`${miroir.metricsUrl}/metrics`)).text();
  const sum = (matches: (line: string) => boolean) =>
    text
      .split("\n")
      .filter(matches)
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
  return {
    searches: sum(
      (line) =>
        line.startsWith("miroir_node_request_duration_seconds_count{") &&
        line.includes('operation="POST search"'),
    ),
    hedgesSent: sum((line) => line.startsWith("miroir_hedged_requests_total ")),
    hedgesWon: sum((line) => line.startsWith("miroir_hedged_requests_won_total ")),
  };
}
