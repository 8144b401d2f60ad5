import { shardOf, topologyFromConfig, writeTargets } from "@miroir/router";
import type { BenchDocument } from "../data/bench-documents.js";
import type { UpstreamNode } from "../processes/miroir-process.js";
import {
  addNdjson,
  createIndex,
  dropIdleConnections,
  type MeiliEndpoint,
  waitForTasks,
} from "./meili-endpoint.js";

/** Documents written per second until every task succeeded, on one path. */
export interface WriteRun {
  readonly documents: number;
  readonly batches: number;
  /** Until the last batch was accepted (202). */
  readonly acceptedSeconds: number;
  /** Until every task succeeded. */
  readonly seconds: number;
  readonly documentsPerSecond: number;
}

/** The same batches written through Miroir, one NDJSON request per batch. */
export async function writeThroughMiroir(
  miroir: MeiliEndpoint,
  uid: string,
  batches: readonly string[],
  documents: number,
): Promise<WriteRun> {
  dropIdleConnections();
  await waitForTasks(miroir, [await createIndex(miroir, uid)]);
  const started = performance.now();
  const tasks: number[] = [];
  for (const batch of batches) tasks.push(await addNdjson(miroir, uid, batch));
  const accepted = performance.now();
  await waitForTasks(miroir, tasks, indexingBound(documents));
  return run(documents, batches.length, started, accepted);
}

/**
 * The same batches written straight to the nodes, already split by owner (the split is
 * done before the clock starts): per batch, one request to each node, all at once.
 */
export async function writeStraightToNodes(
  nodes: readonly MeiliEndpoint[],
  uid: string,
  batchesByNode: readonly (readonly string[])[],
  documents: number,
): Promise<WriteRun> {
  dropIdleConnections();
  const created = await Promise.all(nodes.map((node) => createIndex(node, uid)));
  await Promise.all(nodes.map((node, i) => waitForTasks(node, [created[i] as number])));
  const started = performance.now();
  const tasks: number[][] = nodes.map(() => []);
  for (const batch of batchesByNode) {
    await Promise.all(
      nodes.map(async (node, i) => {
        const records = batch[i] ?? "";
        if (records !== "") tasks[i]?.push(await addNdjson(node, uid, records));
      }),
    );
  }
  const accepted = performance.now();
  await Promise.all(
    nodes.map((node, i) => waitForTasks(node, tasks[i] ?? [], indexingBound(documents))),
  );
  return run(documents, batchesByNode.length, started, accepted);
}

/** How long a round may wait for its documents to be indexed: 2 minutes per 20 000, on a busy machine. */
function indexingBound(documents: number): number {
  return Math.max(120_000, (documents / 20_000) * 120_000);
}

function run(documents: number, batches: number, started: number, accepted: number): WriteRun {
  const seconds = (performance.now() - started) / 1000;
  const acceptedSeconds = (accepted - started) / 1000;
  return { documents, batches, acceptedSeconds, seconds, documentsPerSecond: documents / seconds };
}

/**
 * Each batch split the way Miroir splits it — same shard function, same placement — as
 * NDJSON per node (in `nodes` order) with `_miroir_shard` in every document.
 */
export function splitByOwner(
  batches: readonly (readonly BenchDocument[])[],
  nodes: readonly UpstreamNode[],
  shards: number,
  replicationFactor: number,
): string[][] {
  const topology = topologyFromConfig(
    nodes.map((node) => ({ id: node.id, address: node.url, replica_group: 0 })),
    { shards, replication_factor: replicationFactor, replica_groups: 1 },
  );
  const position = new Map(nodes.map((node, i) => [node.id, i]));
  return batches.map((batch) => {
    const lines: string[][] = nodes.map(() => []);
    for (const document of batch) {
      const shard = shardOf(document.id, shards);
      const record = JSON.stringify({ _miroir_shard: shard, ...document });
      for (const nodeId of writeTargets(shard, topology)) {
        lines[position.get(nodeId) ?? 0]?.push(record);
      }
    }
    return lines.map((records) => records.join("\n"));
  });
}
