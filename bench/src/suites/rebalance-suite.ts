import { parseConfig } from "@miroir/config";
import { createProxy } from "@miroir/proxy";
import { startCluster } from "@miroir/testkit";
import { benchDocuments } from "../data/bench-documents.js";
import { loadIndex, send, waitTask } from "./bench-calls.js";

/** One shard moved by a migration, next to a plain copy of the same documents. */
export interface RebalanceRun {
  readonly upstream: "emulated" | "real";
  readonly documents: number;
  /** Documents per batch, the same for both paths. */
  readonly pageSize: number;
  /** A script reading the shard from its node page by page and writing it to another node. */
  readonly raw: { readonly seconds: number; readonly documentsPerSecond: number };
  /** Miroir draining the shard's node: from the migration's start to its cut-over. */
  readonly migration: {
    readonly seconds: number;
    readonly documentsPerSecond: number;
    /** Documents the migration wrote (copy plus verification repairs). */
    readonly copied: number;
  };
  readonly durationSeconds: number;
}

const INDEX = "moving";
const ADMIN_KEY = "bench-admin-key";
const LOAD_BATCH = 10_000;

/**
 * The rebalancer's copy rate for one 100 000-document shard (S 1, RF 1): the node holding
 * it is drained, so the migration copies it whole to the other node, verifies it and cuts
 * over; beside it, in the same run, the raw rate of copying the same documents between two
 * nodes with a plain loop (`documents/fetch` pages by offset, written as they come, the
 * last task waited for). Both wait until the target has indexed everything.
 */
export async function runRebalanceBench(options: {
  readonly quick: boolean;
  readonly real: boolean;
  readonly log: (line: string) => void;
}): Promise<RebalanceRun> {
  const started = performance.now();
  const documents = options.quick ? 10_000 : 100_000;
  const pageSize = 2_000;
  const cluster = await startCluster({ nodes: 3, rf: 1, shards: 1, real: options.real });
  const nodeKey = String(cluster.config.node_master_key);
  let proxy: Awaited<ReturnType<typeof createProxy>> | undefined;
  try {
    proxy = await createProxy(
      parseConfig({
        ...cluster.config,
        nodes: (cluster.config.nodes as unknown[]).slice(0, 2),
        admin: { api_key: ADMIN_KEY },
        server: { host: "127.0.0.1", log_level: "silent" },
        task_registry: { poll_interval_ms: 20 },
        health: { interval_ms: 500, timeout_ms: 450 },
        rebalancer: { page_size: pageSize, max_docs_per_sec: 0, cleanup_grace_ms: 0 },
      }),
    );
    const url = (await proxy.listen(0)).url;
    await loadIndex(url, INDEX, documents, LOAD_BATCH, benchDocuments);
    const shards = (await send(url, ADMIN_KEY, "GET", "/_miroir/shards")) as {
      shards: { groups: { nodes: string[] }[] }[];
    };
    const ownerId = shards.shards[0]?.groups[0]?.nodes[0];
    const owner = cluster.nodes.find((node) => node.id === ownerId);
    const outsider = cluster.nodes[2];
    if (owner === undefined || outsider === undefined) throw new Error("no owner for shard 0");
    options.log(`${documents} documents on ${owner.id}`);

    // The floor: the same documents, read by page from the owner, written to a third node.
    await waitTask(
      outsider.address,
      nodeKey,
      await send(outsider.address, nodeKey, "POST", "/indexes", { uid: INDEX, primaryKey: "id" }),
    );
    const rawStart = performance.now();
    let last: unknown;
    for (let offset = 0; offset < documents; offset += pageSize) {
      const page = (await send(
        owner.address,
        nodeKey,
        "POST",
        `/indexes/${INDEX}/documents/fetch`,
        {
          filter: "_miroir_shard = 0",
          offset,
          limit: pageSize,
        },
      )) as { results: object[] };
      last = await send(
        outsider.address,
        nodeKey,
        "POST",
        `/indexes/${INDEX}/documents`,
        page.results,
      );
    }
    await waitTask(outsider.address, nodeKey, last);
    const rawSeconds = (performance.now() - rawStart) / 1000;
    options.log(`raw copy: ${(documents / rawSeconds).toFixed(0)} documents/s`);

    await send(url, ADMIN_KEY, "POST", `/_miroir/nodes/${owner.id}/drain`);
    let status: MigrationStatus | undefined;
    const deadline = Date.now() + 600_000;
    while (Date.now() < deadline) {
      status = (await send(url, ADMIN_KEY, "GET", "/_miroir/rebalance/status")) as MigrationStatus;
      if (status.status === "idle" && status.migration?.phase === "done") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const migration = status?.migration;
    if (migration?.phase !== "done" || migration.cutoverAt === null) {
      throw new Error(`the migration did not finish: ${JSON.stringify(status)}`);
    }
    const search = (await send(url, "", "POST", `/indexes/${INDEX}/search`, { limit: 0 })) as {
      estimatedTotalHits: number;
    };
    if (search.estimatedTotalHits !== documents) {
      throw new Error(`${search.estimatedTotalHits} of ${documents} documents after the move`);
    }
    const seconds = (migration.cutoverAt - migration.startedAt) / 1000;
    options.log(`migration: ${(documents / seconds).toFixed(0)} documents/s`);
    return {
      upstream: options.real ? "real" : "emulated",
      documents,
      pageSize,
      raw: { seconds: rawSeconds, documentsPerSecond: documents / rawSeconds },
      migration: {
        seconds,
        documentsPerSecond: documents / seconds,
        copied: migration.documentsCopied,
      },
      durationSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await proxy?.close();
    await cluster.stop();
  }
}

interface MigrationStatus {
  status: string;
  migration: {
    phase: string;
    startedAt: number;
    cutoverAt: number | null;
    documentsCopied: number;
  } | null;
}
