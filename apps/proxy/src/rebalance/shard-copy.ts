import type { ProxyContext } from "../context.js";
import { UNVERSIONED } from "../convergence/reconcile.js";
import { readShardFingerprint } from "../convergence/shard-fingerprint.js";
import { onNode } from "./move-node-error.js";
import { documentsPath } from "./node-barrier.js";

/** One index of one shard, copied from a source replica to a node gaining the shard. */
export interface ShardCopy {
  readonly indexUid: string;
  readonly primaryKey: string;
  readonly shard: number;
  readonly source: string;
  readonly target: string;
}

export interface CopyProgress {
  /** The last primary key whose batch was handed to the target, in copy order. */
  readonly cursor: string;
  /** Documents written to the target by this batch. */
  readonly written: number;
  /** Documents of the batch, written or already newer there. */
  readonly batch: number;
}

/** Primary keys in the order the copy walks them (code-unit order, like the fingerprint digest). */
export function inCopyOrder(ids: Iterable<string>): string[] {
  return [...ids].sort();
}

/**
 * Copies one shard of one index in primary-key order from `after` on: the source's keys and
 * versions are read first (`filter=_miroir_shard = s`, the fingerprint read), then the
 * documents are fetched by key in bounded batches and written to the target, a batch at a
 * time, at most `docsPerSecond`. Offsets would shift under concurrent writes; keys do not.
 * Writes that reached the target by dual write are never overwritten by an older copy
 * (see `writeNewer`). Answers the source's document count.
 */
export async function copyShard(
  ctx: ProxyContext,
  copy: ShardCopy,
  options: {
    readonly after: string | null;
    readonly pageSize: number;
    readonly docsPerSecond: number;
    readonly onBatch: (progress: CopyProgress) => Promise<void>;
    readonly stopped: () => boolean;
  },
): Promise<number> {
  const fingerprint = await onNode(copy.source, "read the shard's keys", () =>
    readShardFingerprint(ctx, copy.source, copy.indexUid, copy.primaryKey, copy.shard),
  );
  const ids = inCopyOrder(fingerprint.versions.keys()).filter(
    (id) => options.after === null || id > options.after,
  );
  for (let start = 0; start < ids.length && !options.stopped(); start += options.pageSize) {
    const began = Date.now();
    const batch = ids.slice(start, start + options.pageSize);
    const written = await writeNewer(ctx, copy, batch);
    await options.onBatch({
      cursor: batch[batch.length - 1] as string,
      written,
      batch: batch.length,
    });
    if (options.docsPerSecond > 0) {
      const pause = (batch.length / options.docsPerSecond) * 1000 - (Date.now() - began);
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
  return fingerprint.versions.size;
}

/**
 * Fetches `ids` from the source and writes to the target those it holds in an older
 * version or not at all (the version field decides), through the target's write lane so
 * the copy keeps its place among the client writes. A document deleted on the source
 * since is simply not found. Answers how many documents were written.
 */
export async function writeNewer(
  ctx: ProxyContext,
  copy: ShardCopy,
  ids: readonly string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const versionField = ctx.config.anti_entropy.updated_at_field;
  const documents = await onNode(copy.source, "serve documents", () =>
    fetchByIds(ctx, copy.source, copy.indexUid, ids),
  );
  const held = await onNode(copy.target, "serve versions", () =>
    fetchByIds(ctx, copy.target, copy.indexUid, ids, [copy.primaryKey, versionField]),
  );
  const heldVersions = new Map(
    held.map((document) => [String(document[copy.primaryKey]), versionOf(document, versionField)]),
  );
  const newer = documents.filter((document) => {
    const there = heldVersions.get(String(document[copy.primaryKey]));
    return there === undefined || there < versionOf(document, versionField);
  });
  if (newer.length === 0) return 0;
  const answer = await onNode(copy.target, "accept copied documents", () =>
    ctx.writes.send(copy.target, copy.indexUid, {
      method: "POST",
      path: documentsPath(copy.indexUid),
      query: { primaryKey: copy.primaryKey },
      json: newer,
    }),
  );
  if (answer.status !== 202) {
    await onNode(copy.target, "accept copied documents", () =>
      Promise.reject(new Error(`answered ${answer.status}`)),
    );
  }
  return newer.length;
}

function versionOf(document: Record<string, unknown>, field: string): number {
  const version = document[field];
  return typeof version === "number" ? version : UNVERSIONED;
}

async function fetchByIds(
  ctx: ProxyContext,
  nodeId: string,
  indexUid: string,
  ids: readonly string[],
  fields?: readonly string[],
): Promise<Record<string, unknown>[]> {
  const answer = await ctx.nodes.call<{ results: Record<string, unknown>[] }>(nodeId, {
    method: "POST",
    path: `${documentsPath(indexUid)}/fetch`,
    json: { ids, limit: ids.length, ...(fields === undefined ? {} : { fields }) },
  });
  if (answer.status !== 200 || answer.body === null) {
    throw new Error(`answered ${answer.status} to a documents fetch`);
  }
  return answer.body.results;
}
