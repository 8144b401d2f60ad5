import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "@miroir/config";
import { createProxy, type RunningProxy } from "@miroir/proxy";
import { type Cluster, startCluster } from "@miroir/testkit";
import { benchDocuments } from "../data/bench-documents.js";
import { startUpstream, type UpstreamService } from "../processes/upstreams.js";
import { waitTask } from "./bench-calls.js";

/** Fingerprint time of one shard's replica pair at one shard size, measured. */
export interface FingerprintPoint {
  readonly documents: number;
  /** Best and median of the rounds: `POST /_miroir/verify` over one shard, two replicas. */
  readonly bestMs: number;
  readonly medianMs: number;
}

/** Accepted writes through Miroir with and without the version field, interleaved. */
export interface VersioningCost {
  readonly documentsPerBatch: number;
  readonly batchesPerRound: number;
  readonly connections: number;
  readonly rounds: number;
  /** Documents per second until Miroir's last `202`, best round of each path. */
  readonly withVersions: number;
  readonly withoutVersions: number;
}

export interface ConvergenceRun {
  readonly upstream: "emulated" | "real";
  /** Every size measured, the last one the largest: 1 000 000 on real nodes. */
  readonly points: readonly FingerprintPoint[];
  /** Loading the largest shard: NDJSON straight to both nodes, until both indexed it. */
  readonly feed: { readonly documents: number; readonly seconds: number };
  /**
   * One replica's pages read directly on its node, as the fingerprint reads them
   * (`documents/fetch`, `filter=_miroir_shard = 0`, two fields, pages of 10 000, by
   * offset): mean time of the first three pages and of the last three.
   */
  readonly pages: { readonly count: number; readonly firstMs: number; readonly lastMs: number };
  /** Documents deleted on one replica behind Miroir's back, then `POST /_miroir/repair`. */
  readonly repair: {
    readonly documents: number;
    readonly shardDocuments: number;
    readonly seconds: number;
    /** The same pass less one fingerprint of the shard (the median measured above). */
    readonly secondsBeyondFingerprint: number;
    readonly documentsPerSecond: number;
  };
  readonly versioning: VersioningCost;
  readonly durationSeconds: number;
}

const INDEX = "fingerprint";
const PAGE = 10_000;
const FEED_BATCH = 100_000;
/** How long both nodes may take to index the largest shard before the suite gives up. */
const FEED_LIMIT_MS = 12 * 60_000;
const ADMIN_KEY = randomBytes(24).toString("hex");
/** 16-digit write versions, as Miroir's clock makes them. */
const VERSION_BASE = 1_750_000_000_000_000;

/**
 * Anti-entropy's costs over two nodes holding one shard (RF 2, S 1). The shard is loaded
 * straight into both nodes (small documents carrying `_miroir_shard` and a version, as
 * Miroir writes them) in stages up to its largest size — 1 000 000 documents on real
 * nodes — and a verify pass is timed at each stage. Then documents are deleted on one
 * replica behind Miroir's back and a repair pass restores them. Last, the write path's
 * cost of the version field: batches written through a proxy that stamps it and one that
 * does not (anti-entropy off), alternating, to upstreams that accept a write at once and
 * index nothing, so no indexing time is in the figure.
 */
export async function runConvergenceBench(options: {
  readonly quick: boolean;
  readonly real: boolean;
  readonly log: (line: string) => void;
}): Promise<ConvergenceRun> {
  const started = performance.now();
  const sizes = options.quick
    ? [20_000, 50_000]
    : options.real
      ? [250_000, 500_000, 1_000_000]
      : [50_000, 100_000];
  const largest = sizes[sizes.length - 1] as number;
  const repairCount = Math.min(100_000, largest / 10);
  const cluster = await startCluster({ nodes: 2, rf: 2, shards: 1, real: options.real });
  let proxy: RunningProxy | undefined;
  let shard: Omit<ConvergenceRun, "upstream" | "versioning" | "durationSeconds">;
  try {
    proxy = await openProxy(cluster.config, true);
    const url = (await proxy.listen(0)).url;
    await waitTask(url, "", await post(url, "/indexes", { uid: INDEX, primaryKey: "id" }));
    const nodes = new Nodes(cluster);

    const points: FingerprintPoint[] = [];
    let loaded = 0;
    let feedMs = 0;
    for (const size of sizes) {
      const begun = performance.now();
      await nodes.feed(loaded, size - loaded);
      feedMs += performance.now() - begun;
      loaded = size;
      const rounds = size >= 1_000_000 ? 2 : 3;
      const times: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const start = performance.now();
        const report = (await post(url, "/_miroir/verify", { indexUid: INDEX })) as {
          divergentDocuments: number;
          indexes: { shards: { documents: number }[] }[];
        };
        times.push(performance.now() - start);
        if (report.divergentDocuments !== 0) throw new Error("replicas diverge before the repair");
        const compared = report.indexes[0]?.shards[0]?.documents;
        if (compared !== size) throw new Error(`verify compared ${compared} of ${size} documents`);
      }
      times.sort((a, b) => a - b);
      points.push({
        documents: size,
        bestMs: times[0] as number,
        medianMs: times[Math.floor(times.length / 2)] as number,
      });
      options.log(
        `fingerprint of ${size} documents × 2 replicas: ${(times[0] as number).toFixed(0)} ms (fed in ${(feedMs / 1000).toFixed(0)} s so far)`,
      );
    }
    const pages = await nodes.pageTimes(0);
    options.log(
      `offset pages on one node: first ${pages.firstMs.toFixed(0)} ms, last ${pages.lastMs.toFixed(0)} ms`,
    );

    await nodes.deleteOn(1, repairCount);
    const repairStart = performance.now();
    const repaired = (await post(url, "/_miroir/repair", { indexUid: INDEX })) as {
      repairedDocuments: number;
    };
    const repairSeconds = (performance.now() - repairStart) / 1000;
    if (repaired.repairedDocuments !== repairCount) {
      throw new Error(`repaired ${repaired.repairedDocuments} of ${repairCount} documents`);
    }
    const fingerprintSeconds = (points[points.length - 1]?.medianMs ?? 0) / 1000;
    const beyond = Math.max(repairSeconds - fingerprintSeconds, 0.001);
    options.log(`repair of ${repairCount} of ${largest} documents: ${repairSeconds.toFixed(1)} s`);
    shard = {
      points,
      feed: { documents: largest, seconds: feedMs / 1000 },
      pages,
      repair: {
        documents: repairCount,
        shardDocuments: largest,
        seconds: repairSeconds,
        secondsBeyondFingerprint: beyond,
        documentsPerSecond: repairCount / beyond,
      },
    };
  } finally {
    await proxy?.close();
    await cluster.stop();
  }
  const versioning = await versioningCost(options.quick);
  options.log(
    `accepted writes/s with versions ${versioning.withVersions.toFixed(0)}, without ${versioning.withoutVersions.toFixed(0)}`,
  );
  return {
    upstream: options.real ? "real" : "emulated",
    ...shard,
    versioning,
    durationSeconds: (performance.now() - started) / 1000,
  };
}

/** A proxy with a task store of its own: a SQLite file in a directory removed on close. */
async function openProxy(
  config: Record<string, unknown>,
  antiEntropy: boolean,
): Promise<RunningProxy> {
  const dir = mkdtempSync(join(tmpdir(), "miroir-bench-convergence-"));
  const proxy = await createProxy(
    parseConfig({
      ...config,
      task_store: { backend: "sqlite", path: join(dir, "state.db") },
      admin: { api_key: ADMIN_KEY },
      server: { host: "127.0.0.1", log_level: "silent" },
      task_registry: { poll_interval_ms: 20 },
      anti_entropy: { enabled: antiEntropy, schedule: "every 24h", fingerprint_batch_size: PAGE },
    }),
  );
  return {
    ...proxy,
    async close() {
      await proxy.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The two nodes, called directly with the node master key. */
class Nodes {
  private readonly key: string;
  constructor(private readonly cluster: Cluster) {
    this.key = String(cluster.config.node_master_key);
  }

  private call(at: number, path: string, init: RequestInit = {}): Promise<Response> {
    const node = this.cluster.nodes[at];
    if (node === undefined) throw new Error(`no node ${at}`);
    return fetch(`${node.address}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${this.key}`, ...(init.headers ?? {}) },
    });
  }

  /** Documents `from`…`from + count - 1` into both nodes, as Miroir would have written them. */
  async feed(from: number, count: number): Promise<void> {
    const last: number[] = [];
    for (let start = from; start < from + count; start += FEED_BATCH) {
      const lines: string[] = [];
      for (let id = start; id < Math.min(start + FEED_BATCH, from + count); id++) {
        lines.push(`{"id":${id},"_miroir_shard":0,"_miroir_updated_at":${VERSION_BASE + id}}`);
      }
      const body = lines.join("\n");
      const answers = await Promise.all(
        [0, 1].map((at) =>
          this.call(at, `/indexes/${INDEX}/documents`, {
            method: "POST",
            headers: { "content-type": "application/x-ndjson" },
            body,
          }),
        ),
      );
      for (const [at, answer] of answers.entries()) {
        if (answer.status !== 202) throw new Error(`node ${at} answered ${answer.status}`);
        last[at] = ((await answer.json()) as { taskUid: number }).taskUid;
      }
    }
    const deadline = Date.now() + FEED_LIMIT_MS;
    await Promise.all(last.map((taskUid, at) => this.waitTask(at, taskUid, deadline)));
  }

  /** Deletes documents 0…count-1 on one node only. */
  async deleteOn(at: number, count: number): Promise<void> {
    const answer = await this.call(at, `/indexes/${INDEX}/documents/delete-batch`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(Array.from({ length: count }, (_, id) => id)),
    });
    const { taskUid } = (await answer.json()) as { taskUid: number };
    await this.waitTask(at, taskUid, Date.now() + FEED_LIMIT_MS);
  }

  /** Reads the whole shard on one node as a fingerprint does, timing each page. */
  async pageTimes(at: number): Promise<ConvergenceRun["pages"]> {
    const times: number[] = [];
    for (let offset = 0, page = 0; page < 1_000; page++) {
      const begun = performance.now();
      const answer = await this.call(at, `/indexes/${INDEX}/documents/fetch`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          filter: "_miroir_shard = 0",
          fields: ["id", "_miroir_updated_at"],
          offset,
          limit: PAGE,
        }),
      });
      const { results } = (await answer.json()) as { results: unknown[] };
      times.push(performance.now() - begun);
      if (results.length < PAGE) break;
      offset += results.length;
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    return { count: times.length, firstMs: mean(times.slice(0, 3)), lastMs: mean(times.slice(-3)) };
  }

  private async waitTask(at: number, taskUid: number, deadline: number): Promise<void> {
    while (Date.now() < deadline) {
      const task = (await (await this.call(at, `/tasks/${taskUid}`)).json()) as {
        status: string;
        error?: unknown;
      };
      if (task.status === "succeeded") return;
      if (task.status === "failed" || task.status === "canceled") {
        throw new Error(`node ${at} task ${taskUid} ${task.status}: ${JSON.stringify(task.error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`node ${at} did not finish task ${taskUid} in time`);
  }
}

/**
 * Batches written through two proxies over the same two trivial upstreams (each answers
 * a write `202` at once and indexes nothing): one stamps `_miroir_updated_at`, the other
 * runs with anti-entropy off and writes no version. Rounds alternate A B B A; each round
 * sends its batches over a few connections and is timed until the last `202`.
 */
async function versioningCost(quick: boolean): Promise<VersioningCost> {
  const documentsPerBatch = 1_000;
  const batchesPerRound = quick ? 40 : 200;
  const connections = 4;
  const rounds = quick ? 2 : 4;
  const upstreams: UpstreamService[] = [];
  const proxies: RunningProxy[] = [];
  try {
    for (const id of ["node-0", "node-1"]) upstreams.push(await startUpstream("trivial", id, null));
    const config = {
      shards: 1,
      replication_factor: 2,
      nodes: upstreams.map((upstream) => ({
        id: upstream.id,
        address: upstream.url,
        replica_group: 0,
      })),
    };
    const urls: string[] = [];
    for (const versions of [true, false]) {
      const proxy = await openProxy(config, versions);
      proxies.push(proxy);
      urls.push((await proxy.listen(0)).url);
    }
    const payloads = Array.from({ length: batchesPerRound }, (_, batch) =>
      benchDocuments(documentsPerBatch, batch * documentsPerBatch)
        .map((document) => JSON.stringify(document))
        .join("\n"),
    );
    const rates: [number[], number[]] = [[], []];
    // One unmeasured round each first: connection pools and JIT warm.
    for (const url of urls) await writeRound(url, payloads.slice(0, 10), connections);
    for (let round = 0; round < rounds * 2; round++) {
      const path = round % 4 === 0 || round % 4 === 3 ? 0 : 1;
      const begun = performance.now();
      await writeRound(urls[path] as string, payloads, connections);
      const seconds = (performance.now() - begun) / 1000;
      rates[path].push((batchesPerRound * documentsPerBatch) / seconds);
    }
    return {
      documentsPerBatch,
      batchesPerRound,
      connections,
      rounds,
      withVersions: Math.max(...rates[0]),
      withoutVersions: Math.max(...rates[1]),
    };
  } finally {
    for (const proxy of proxies) await proxy.close();
    for (const upstream of upstreams) await upstream.stop();
  }
}

async function writeRound(
  url: string,
  payloads: readonly string[],
  connections: number,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < payloads.length) {
        const body = payloads[next++] as string;
        const answer = await fetch(`${url}/indexes/bench/documents`, {
          method: "POST",
          headers: { "content-type": "application/x-ndjson" },
          body,
        });
        if (answer.status !== 202) {
          throw new Error(`a bench write answered ${answer.status}: ${await answer.text()}`);
        }
        await answer.arrayBuffer();
      }
    }),
  );
}

async function post(url: string, path: string, body: unknown): Promise<unknown> {
  const answer = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-admin-key": ADMIN_KEY },
    body: JSON.stringify(body),
  });
  if (!answer.ok) throw new Error(`${path} answered ${answer.status}: ${await answer.text()}`);
  return answer.json();
}
