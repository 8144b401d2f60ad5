import { meiliError } from "@miroir/errors";
import { writeTargets } from "@miroir/router";
import type { ProxyContext } from "../context.js";
import { writeTag } from "../convergence/delivered-writes.js";
import { topologyOf } from "../topology/index-shards.js";
import type { NodeWrite, WriteOutcome } from "./execute-write.js";
import { executeWrite, failedWrite } from "./execute-write.js";
import type { PayloadFormat } from "./payload-format.js";
import { prepareIndex } from "./prepare-index.js";
import { routeBatch } from "./route-batch.js";

export interface DocumentWrite {
  readonly indexUid: string;
  /** POST replaces documents, PUT merges them into the stored ones. */
  readonly method: "POST" | "PUT";
  /** The payload's bytes as they stream in. */
  readonly body: AsyncIterable<Uint8Array>;
  readonly format: PayloadFormat;
  readonly primaryKey: string | null;
  readonly csvDelimiter: string;
  /** Meilisearch's `customMetadata` parameter, shown on the task. */
  readonly customMetadata?: string | null;
  /** Meilisearch's `skipCreation`: only documents already stored are updated. */
  readonly skipCreation?: boolean;
}

const TYPE = "documentAdditionOrUpdate";

/**
 * Adds or updates a batch: validates every document first (a bad batch becomes a failed
 * task and no node is called), then splits it by shard and writes each node its part.
 */
export async function writeDocuments(
  ctx: ProxyContext,
  write: DocumentWrite,
): Promise<WriteOutcome> {
  await ctx.indexes.describe(write.indexUid);
  const state = ctx.indexes.peek(write.indexUid);
  const declared = state?.primaryKey ?? null;
  const topology = topologyOf(ctx, write.indexUid);
  const routed = await routeBatch({
    body: write.body,
    format: write.format,
    primaryKey: declared ?? write.primaryKey,
    shards: topology.shards,
    targetsOf: (shard) => writeTargets(shard, topology),
    csvDelimiter: write.csvDelimiter,
    versionField: ctx.config.anti_entropy.enabled ? ctx.config.anti_entropy.updated_at_field : null,
  });
  const task = {
    indexUid: write.indexUid,
    type: TYPE,
    details: { receivedDocuments: routed.documentCount, indexedDocuments: null },
    customMetadata: write.customMetadata ?? null,
  };
  const rejection =
    declared !== null && write.primaryKey !== null && write.primaryKey !== declared
      ? primaryKeyTaken(write.indexUid, declared)
      : routed.rejection;
  if (rejection !== null) {
    const failed = await failedWrite(
      ctx,
      { ...task, details: { ...task.details, indexedDocuments: 0 } },
      rejection,
    );
    return { task: failed, degraded: undefined };
  }
  const primaryKey = routed.primaryKey;
  if (primaryKey === null || routed.documentCount === 0) {
    return { task: await emptyBatchTask(ctx, task), degraded: undefined };
  }
  return executeWrite(ctx, write.indexUid, task, (version) => {
    const current = ctx.indexes.peek(write.indexUid)?.primaryKey ?? null;
    if (current !== null && current !== primaryKey) {
      // Another write fixed a different primary key while this one was being recorded.
      throw primaryKeyTaken(write.indexUid, current);
    }
    prepareIndex(ctx, write.indexUid, primaryKey);
    routed.stamp(version);
    const path = `/indexes/${encodeURIComponent(write.indexUid)}/documents`;
    // Each shard's body is built once and shared by every node that holds the shard.
    const shardBodies = new Map(routed.byShard);
    routed.byShard.clear();
    const writes: NodeWrite[] = [];
    for (const [nodeId, shards] of routed.byNode) {
      const pieces = shards.map((shard) => shardBodies.get(shard) as readonly Uint8Array[]);
      if (routed.nodeFormat === "csv") pieces.unshift([Buffer.from(routed.csvHeader as string)]);
      writes.push({
        nodeId,
        request: {
          method: write.method,
          path,
          query: {
            primaryKey,
            // The node task is known by it if the answer is lost and the write retried.
            customMetadata: writeTag(version),
            ...(routed.nodeFormat === "csv" ? { csvDelimiter: write.csvDelimiter } : {}),
            ...(write.skipCreation === true ? { skipCreation: "true" } : {}),
          },
          // Iterable again for a hint, which keeps the bytes a replica missed.
          body: { [Symbol.iterator]: () => linesOf(pieces) },
          contentType: routed.nodeFormat === "csv" ? "text/csv" : "application/x-ndjson",
        },
      });
    }
    return { writes, shards: routed.shards };
  });
}

const LINE_BREAK = Buffer.from("\n");

/** Parts of a body (each in pieces) sent one after the other, separated by line breaks. */
function* linesOf(parts: readonly (readonly Uint8Array[])[]): Generator<Uint8Array> {
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) yield LINE_BREAK;
    yield* parts[i] as readonly Uint8Array[];
  }
}

function primaryKeyTaken(indexUid: string, primaryKey: string) {
  return meiliError(
    "index_primary_key_already_exists",
    `Index \`${indexUid}\` already has a primary key: \`${primaryKey}\`.`,
  );
}

/** An empty array is a valid batch that indexes nothing; no node needs to hear of it. */
async function emptyBatchTask(
  ctx: ProxyContext,
  task: {
    indexUid: string;
    type: string;
    details: Record<string, unknown>;
    customMetadata: string | null;
  },
) {
  const record = await ctx.taskStore.tasks.create({
    ...task,
    status: "succeeded",
    details: { receivedDocuments: 0, indexedDocuments: 0 },
  });
  const now = Date.now();
  return (
    (await ctx.taskStore.tasks.update(record.uid, { startedAt: now, finishedAt: now })) ?? record
  );
}
