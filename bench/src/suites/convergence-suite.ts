import { parseConfig } from "@miroir/config";
import { createProxy, type RunningProxy } from "@miroir/proxy";
import { startCluster } from "@miroir/testkit";
import { benchDocuments } from "../data/bench-documents.js";

/** Fingerprint time of one shard's replica pair at one shard size. */
export interface FingerprintPoint {
  readonly documents: number;
  /** Best and median of the rounds: `POST /_miroir/verify` over one shard, two replicas. */
  readonly bestMs: number;
  readonly medianMs: number;
}

/** Writes through Miroir with and without the version field, interleaved in one run. */
export interface VersioningCost {
  readonly documentsPerBatch: number;
  readonly rounds: number;
  /** Documents per second, best round of each path. */
  readonly withVersions: number;
  readonly withoutVersions: number;
}

export interface ConvergenceRun {
  readonly upstream: "emulated" | "real";
  readonly points: readonly FingerprintPoint[];
  /** Least-squares line through the points, extrapolated to 1 000 000 documents. */
  readonly millionEstimateMs: number;
  readonly msPerThousandDocuments: number;
  /**
   * A power law `time = a × documents^k` fitted in log-log space, extrapolated: the honest
   * figure when the growth is not linear (offset paging gets dearer as the offset grows).
   */
  readonly powerExponent: number;
  readonly millionEstimatePowerMs: number;
  /** One replica emptied behind Miroir's back, then `POST /_miroir/repair`. */
  readonly repair: {
    readonly documents: number;
    readonly seconds: number;
    readonly documentsPerSecond: number;
  };
  readonly versioning: VersioningCost;
  readonly durationSeconds: number;
}

const INDEX = "fingerprint";
const BATCH = 10_000;

/**
 * Anti-entropy's costs over two nodes holding one shard (RF 2, S 1): the time a verify
 * pass takes to fingerprint both replicas as the shard grows (extrapolated to a million
 * documents, since loading a million documents per point does not fit a bench run), the
 * repair rate after one replica was emptied, and the write throughput through Miroir with
 * and without the version field, alternating rounds over the same nodes.
 */
export async function runConvergenceBench(options: {
  readonly quick: boolean;
  readonly real: boolean;
  readonly log: (line: string) => void;
}): Promise<ConvergenceRun> {
  const started = performance.now();
  const sizes = options.quick ? [2_000, 6_000] : [20_000, 60_000, 100_000];
  const rounds = options.quick ? 2 : 4;
  const cluster = await startCluster({ nodes: 2, rf: 2, shards: 1, real: options.real });
  const proxies: RunningProxy[] = [];
  try {
    const open = async (antiEntropy: boolean) => {
      const proxy = await createProxy(
        parseConfig({
          ...cluster.config,
          server: { host: "127.0.0.1", log_level: "silent" },
          task_registry: { poll_interval_ms: 20 },
          anti_entropy: {
            enabled: antiEntropy,
            schedule: "every 24h",
            fingerprint_batch_size: 10_000,
          },
        }),
      );
      proxies.push(proxy);
      return (await proxy.listen(0)).url;
    };
    const url = await open(true);
    const unversionedUrl = await open(false);
    await waitTask(url, await post(url, "/indexes", { uid: INDEX, primaryKey: "id" }));
    const points: FingerprintPoint[] = [];
    let loaded = 0;
    for (const size of sizes) {
      while (loaded < size) {
        const count = Math.min(BATCH, size - loaded);
        await waitTask(
          url,
          await postNdjson(url, `/indexes/${INDEX}/documents`, benchDocuments(count, loaded)),
        );
        loaded += count;
      }
      const times: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const begun = performance.now();
        const report = (await post(url, "/_miroir/verify", { indexUid: INDEX })) as {
          divergentDocuments: number;
        };
        times.push(performance.now() - begun);
        if (report.divergentDocuments !== 0) throw new Error("replicas diverge before the repair");
      }
      times.sort((a, b) => a - b);
      points.push({
        documents: size,
        bestMs: times[0] as number,
        medianMs: times[Math.floor(times.length / 2)] as number,
      });
      options.log(
        `fingerprint of ${size} documents × 2 replicas: ${(times[0] as number).toFixed(0)} ms`,
      );
    }
    const { slope, intercept } = leastSquares(points.map((p) => [p.documents, p.bestMs]));
    const power = leastSquares(points.map((p) => [Math.log(p.documents), Math.log(p.bestMs)]));

    const emptied = cluster.nodes[1];
    if (emptied === undefined) throw new Error("two nodes were started");
    const deleted = await fetch(`${emptied.address}/indexes/${INDEX}/documents`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${String(cluster.config.node_master_key)}` },
    });
    const { taskUid } = (await deleted.json()) as { taskUid: number };
    await waitNodeTask(emptied.address, String(cluster.config.node_master_key), taskUid);
    const repairStart = performance.now();
    const repaired = (await post(url, "/_miroir/repair", { indexUid: INDEX })) as {
      repairedDocuments: number;
    };
    const repairSeconds = (performance.now() - repairStart) / 1000;
    if (repaired.repairedDocuments !== loaded) {
      throw new Error(`repaired ${repaired.repairedDocuments} of ${loaded} documents`);
    }
    options.log(`repair of ${loaded} documents: ${repairSeconds.toFixed(1)} s`);

    const perBatch = options.quick ? 2_000 : 10_000;
    const withRates: number[] = [];
    const withoutRates: number[] = [];
    const paths = [
      { url, index: "versioned" },
      { url: unversionedUrl, index: "unversioned" },
    ];
    for (const path of paths) {
      await waitTask(
        path.url,
        await post(path.url, "/indexes", { uid: path.index, primaryKey: "id" }),
      );
    }
    for (let round = 0; round < rounds * 2; round++) {
      // A B B A …: neither path always goes first.
      const versioned = round % 4 === 0 || round % 4 === 3;
      const { url: target, index } = paths[versioned ? 0 : 1] as (typeof paths)[number];
      const documents = benchDocuments(perBatch, 1_000_000 + round * perBatch);
      const begun = performance.now();
      await waitTask(target, await postNdjson(target, `/indexes/${index}/documents`, documents));
      (versioned ? withRates : withoutRates).push(perBatch / ((performance.now() - begun) / 1000));
    }
    return {
      upstream: options.real ? "real" : "emulated",
      points,
      millionEstimateMs: intercept + slope * 1_000_000,
      msPerThousandDocuments: slope * 1000,
      powerExponent: power.slope,
      millionEstimatePowerMs: Math.exp(power.intercept + power.slope * Math.log(1_000_000)),
      repair: {
        documents: loaded,
        seconds: repairSeconds,
        documentsPerSecond: loaded / repairSeconds,
      },
      versioning: {
        documentsPerBatch: perBatch,
        rounds,
        withVersions: Math.max(...withRates),
        withoutVersions: Math.max(...withoutRates),
      },
      durationSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const proxy of proxies) await proxy.close();
    await cluster.stop();
  }
}

function leastSquares(points: readonly (readonly [number, number])[]): {
  slope: number;
  intercept: number;
} {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  }
  const slope = den === 0 ? 0 : num / den;
  return { slope, intercept: meanY - slope * meanX };
}

async function post(url: string, path: string, body: unknown): Promise<unknown> {
  const answer = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!answer.ok) throw new Error(`${path} answered ${answer.status}: ${await answer.text()}`);
  return answer.json();
}

async function postNdjson(
  url: string,
  path: string,
  documents: readonly object[],
): Promise<unknown> {
  const answer = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-ndjson" },
    body: documents.map((document) => JSON.stringify(document)).join("\n"),
  });
  if (answer.status !== 202)
    throw new Error(`${path} answered ${answer.status}: ${await answer.text()}`);
  return answer.json();
}

async function waitTask(url: string, enqueued: unknown): Promise<void> {
  const { taskUid } = enqueued as { taskUid: number };
  for (let attempt = 0; attempt < 12_000; attempt++) {
    const task = (await (await fetch(`${url}/tasks/${taskUid}`)).json()) as { status: string };
    if (task.status === "succeeded") return;
    if (task.status === "failed" || task.status === "canceled") {
      throw new Error(`task ${taskUid} ${task.status}: ${JSON.stringify(task)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`task ${taskUid} did not finish in 2 minutes`);
}

async function waitNodeTask(address: string, key: string, taskUid: number): Promise<void> {
  for (let attempt = 0; attempt < 12_000; attempt++) {
    const answer = await fetch(`${address}/tasks/${taskUid}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const task = (await answer.json()) as { status: string };
    if (task.status === "succeeded") return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`node task ${taskUid} did not finish`);
}
