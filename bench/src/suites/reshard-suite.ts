import { parseConfig } from "@miroir/config";
import { createProxy } from "@miroir/proxy";
import { startCluster } from "@miroir/testkit";
import { benchDocuments } from "../data/bench-documents.js";
import { loadIndex, send, waitTask } from "./bench-calls.js";

/** One index resharded online, next to a plain copy of the same documents. */
export interface ReshardRun {
  readonly upstream: "emulated" | "real";
  readonly documents: number;
  readonly fromShards: number;
  readonly toShards: number;
  /** Documents per batch, the same for both paths. */
  readonly pageSize: number;
  /** A script reading the index from its nodes page by page and writing it to another node. */
  readonly raw: { readonly seconds: number; readonly documentsPerSecond: number };
  /** Miroir's reshard, from its request to its switch (copy, comparison, verification). */
  readonly reshard: {
    readonly seconds: number;
    readonly documentsPerSecond: number;
    /** The rate the reshard reports: documents copied over its run's time at the last save. */
    readonly copyDocumentsPerSecond: number;
  };
  readonly durationSeconds: number;
}

const INDEX = "resharded";
const ADMIN_KEY = "bench-admin-key";
const LOAD_BATCH = 10_000;

/**
 * Resharding throughput: an index of 100 000 documents on 3 nodes (RF 1) goes from 8 to
 * 64 shards with no client load, timed from the request to the switch; beside it, in the
 * same run, the raw rate of copying the same documents with a plain loop (each node's
 * `documents/fetch` pages by offset, written to a fourth node as they come, the last task
 * waited for). Both wait until the target has indexed everything.
 */
export async function runReshardBench(options: {
  readonly quick: boolean;
  readonly real: boolean;
  readonly log: (line: string) => void;
}): Promise<ReshardRun> {
  const started = performance.now();
  const documents = options.quick ? 10_000 : 100_000;
  const pageSize = 2_000;
  const [fromShards, toShards] = [8, 64];
  const cluster = await startCluster({ nodes: 4, rf: 1, shards: fromShards, real: options.real });
  const nodeKey = String(cluster.config.node_master_key);
  let proxy: Awaited<ReturnType<typeof createProxy>> | undefined;
  try {
    proxy = await createProxy(
      parseConfig({
        ...cluster.config,
        nodes: (cluster.config.nodes as unknown[]).slice(0, 3),
        admin: { api_key: ADMIN_KEY },
        server: { host: "127.0.0.1", log_level: "silent" },
        task_registry: { poll_interval_ms: 20 },
        health: { interval_ms: 500, timeout_ms: 450 },
        resharding: {
          backfill_batch_size: pageSize,
          backfill_concurrency: 4,
          throttle_docs_per_sec: 0,
          retain_old_index_hours: 1,
        },
      }),
    );
    const url = (await proxy.listen(0)).url;
    await loadIndex(url, INDEX, documents, LOAD_BATCH, benchDocuments);
    const owners = cluster.nodes.slice(0, 3);
    const outsider = cluster.nodes[3];
    if (outsider === undefined) throw new Error("no fourth node");
    options.log(`${documents} documents on ${owners.length} nodes, ${fromShards} shards`);

    // The floor: the same documents, read by page from their nodes, written to a fourth one.
    await waitTask(
      outsider.address,
      nodeKey,
      await send(outsider.address, nodeKey, "POST", "/indexes", { uid: INDEX, primaryKey: "id" }),
    );
    const rawStart = performance.now();
    let last: unknown;
    for (const owner of owners) {
      for (let offset = 0; ; offset += pageSize) {
        const page = (await send(
          owner.address,
          nodeKey,
          "POST",
          `/indexes/${INDEX}/documents/fetch`,
          { offset, limit: pageSize },
        )) as { results: object[] };
        if (page.results.length === 0) break;
        last = await send(
          outsider.address,
          nodeKey,
          "POST",
          `/indexes/${INDEX}/documents`,
          page.results,
        );
      }
    }
    await waitTask(outsider.address, nodeKey, last);
    const rawSeconds = (performance.now() - rawStart) / 1000;
    options.log(`raw copy: ${(documents / rawSeconds).toFixed(0)} documents/s`);

    const reshardStart = performance.now();
    await send(url, ADMIN_KEY, "POST", `/_miroir/indexes/${INDEX}/reshard`, {
      shards: toShards,
    });
    let status: ReshardStatus | undefined;
    const deadline = Date.now() + 900_000;
    while (Date.now() < deadline) {
      status = (await send(
        url,
        ADMIN_KEY,
        "GET",
        `/_miroir/indexes/${INDEX}/reshard`,
      )) as ReshardStatus;
      if (status.phase === "switched" || status.status !== "processing") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - reshardStart) / 1000;
    if (status?.phase !== "switched") {
      throw new Error(`the reshard did not switch: ${JSON.stringify(status)}`);
    }
    const search = (await send(url, "", "POST", `/indexes/${INDEX}/search`, {
      hitsPerPage: 1,
    })) as { totalHits: number };
    if (search.totalHits !== documents) {
      throw new Error(`${search.totalHits} of ${documents} documents after the reshard`);
    }
    options.log(`reshard: ${(documents / seconds).toFixed(0)} documents/s`);
    return {
      upstream: options.real ? "real" : "emulated",
      documents,
      fromShards,
      toShards,
      pageSize,
      raw: { seconds: rawSeconds, documentsPerSecond: documents / rawSeconds },
      reshard: {
        seconds,
        documentsPerSecond: documents / seconds,
        copyDocumentsPerSecond: status.documentsPerSecond,
      },
      durationSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await proxy?.close();
    await cluster.stop();
  }
}

interface ReshardStatus {
  status: string;
  phase: string;
  documentsPerSecond: number;
}
