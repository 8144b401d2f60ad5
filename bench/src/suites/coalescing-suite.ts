import { parseConfig } from "@miroir/config";
import { createProxy, type RunningProxy } from "@miroir/proxy";
import { startCluster } from "@miroir/testkit";
import { benchDocuments, benchQueries, toNdjson } from "../data/bench-documents.js";
import { type LatencySummary, summariseSamples } from "../load/latency-summary.js";
import { type LoadSample, runLoad } from "../load/load-loop.js";
import { waitTask } from "./bench-calls.js";

/** One workload measured through a proxy that coalesces searches and one that does not. */
export interface CoalescingWorkload {
  /** Distinct search bodies the clients cycle through. */
  readonly distinctQueries: number;
  readonly connections: number;
  readonly coalesced: LatencySummary;
  readonly uncoalesced: LatencySummary;
  /** Share of the coalescing proxy's searches answered by joining one in flight. */
  readonly joinedShare: number;
}

export interface CoalescingRun {
  readonly upstream: "emulated" | "real";
  readonly documents: number;
  readonly rounds: number;
  readonly workloads: readonly CoalescingWorkload[];
  readonly durationSeconds: number;
}

const INDEX = "coalescing";
const CONNECTIONS = 32;

/**
 * Searches under a load that repeats a few queries (many identical searches in flight at
 * once), and under one where no two searches in flight are the same, through two proxies
 * over the same 3 nodes: `query_coalescing` on and off. Rounds alternate (A B B A …) so
 * that both paths see the same machine.
 */
export async function runCoalescingBench(options: {
  readonly quick: boolean;
  readonly real: boolean;
  readonly log: (line: string) => void;
}): Promise<CoalescingRun> {
  const started = performance.now();
  const documents = options.quick ? 1_000 : 5_000;
  const rounds = options.quick ? 2 : 4;
  const roundMs = options.quick ? 1_000 : 3_000;
  const cluster = await startCluster({ nodes: 3, rf: 1, shards: 6, real: options.real });
  const proxies: RunningProxy[] = [];
  try {
    const open = async (enabled: boolean) => {
      const proxy = await createProxy(
        parseConfig({
          ...cluster.config,
          server: { host: "127.0.0.1", log_level: "silent" },
          task_registry: { poll_interval_ms: 20 },
          query_coalescing: { enabled },
          admin: { api_key: "bench-admin-key" },
        }),
      );
      proxies.push(proxy);
      return { proxy, url: (await proxy.listen(0)).url };
    };
    const coalescing = await open(true);
    const plain = await open(false);
    await waitTask(
      coalescing.url,
      "",
      await post(coalescing.url, "/indexes", { uid: INDEX, primaryKey: "id" }),
    );
    await waitTask(
      coalescing.url,
      "",
      await post(
        coalescing.url,
        `/indexes/${INDEX}/documents`,
        toNdjson(benchDocuments(documents)),
        "application/x-ndjson",
      ),
    );
    const workloads: CoalescingWorkload[] = [];
    for (const distinctQueries of [8, 512]) {
      const bodies = benchQueries(distinctQueries);
      const samples = { coalesced: [] as LoadSample[], uncoalesced: [] as LoadSample[] };
      const searches = coalescing.proxy.context.searches;
      const joinedBefore = searches?.joined ?? 0;
      for (let round = 0; round < rounds; round++) {
        const order =
          round % 2 === 0
            ? (["coalesced", "uncoalesced"] as const)
            : (["uncoalesced", "coalesced"] as const);
        for (const path of order) {
          const url = path === "coalesced" ? coalescing.url : plain.url;
          samples[path].push(
            await runLoad({
              url,
              path: `/indexes/${INDEX}/search`,
              bodies,
              connections: CONNECTIONS,
              durationMs: roundMs,
              maxRequests: 200_000,
              warmupMs: 200,
            }),
          );
        }
      }
      const coalesced = summariseSamples(samples.coalesced);
      const uncoalesced = summariseSamples(samples.uncoalesced);
      const sent = samples.coalesced.reduce(
        (sum, sample) => sum + sample.latenciesMs.length + sample.errors,
        0,
      );
      const joined = (searches?.joined ?? 0) - joinedBefore;
      workloads.push({
        distinctQueries,
        connections: CONNECTIONS,
        coalesced,
        uncoalesced,
        // Warm-up requests join too; they are counted in neither total, so this is a bound.
        joinedShare: sent > 0 ? Math.min(1, joined / sent) : 0,
      });
      options.log(
        `${distinctQueries} distinct queries × ${CONNECTIONS} connections: ${coalesced.requestsPerSecond.toFixed(0)} searches/s coalesced, ${uncoalesced.requestsPerSecond.toFixed(0)} without`,
      );
    }
    return {
      upstream: options.real ? "real" : "emulated",
      documents,
      rounds,
      workloads,
      durationSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const proxy of proxies) await proxy.close();
    await cluster.stop();
  }
}

async function post(
  url: string,
  path: string,
  body: unknown,
  contentType = "application/json",
): Promise<unknown> {
  const answer = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  if (!answer.ok) throw new Error(`${path} answered ${answer.status}: ${await answer.text()}`);
  return answer.json();
}
