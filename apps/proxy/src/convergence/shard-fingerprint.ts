import { createHash } from "node:crypto";
import { SHARD_FIELD } from "@miroir/merger";
import type { ProxyContext } from "../context.js";
import { indexPath } from "../node-client/index.js";
import { UNVERSIONED } from "./reconcile.js";

/** What one replica holds of one shard: each document id with its version. */
export interface ShardFingerprint {
  readonly versions: Map<string, number>;
  /** SHA-256 over the (id, version) pairs in id order: equal digests, equal replicas. */
  readonly digest: string;
}

/**
 * Reads the (primary key, version) of every document of `shard` on one node, page by page
 * (`filter=_miroir_shard = s`, only the two fields), and digests them. Versions read move
 * the write clock past them.
 */
export async function readShardFingerprint(
  ctx: ProxyContext,
  nodeId: string,
  indexUid: string,
  primaryKey: string,
  shard: number,
  /** Documents per second to stay under (background passes); 0 for no limit. */
  docsPerSecond = 0,
): Promise<ShardFingerprint> {
  const versionField = ctx.config.anti_entropy.updated_at_field;
  const pageSize = ctx.config.anti_entropy.fingerprint_batch_size;
  const versions = new Map<string, number>();
  let total = Number.POSITIVE_INFINITY;
  // Bounded by the count the node announced on its first page (plus one empty page).
  for (let offset = 0, pages = 0; offset < total && pages <= total / pageSize + 1; pages++) {
    const answer = await ctx.nodes.call<{
      results: Record<string, unknown>[];
      total: number;
    }>(nodeId, {
      method: "POST",
      path: `${indexPath(indexUid)}/documents/fetch`,
      json: {
        filter: `${SHARD_FIELD} = ${shard}`,
        fields: [primaryKey, versionField],
        offset,
        limit: pageSize,
      },
    });
    if (answer.status !== 200 || answer.body === null) {
      throw new Error(`node ${nodeId} answered ${answer.status} to a fingerprint read`);
    }
    const { results } = answer.body;
    total = answer.body.total;
    for (const document of results) {
      const version = document[versionField];
      const value = typeof version === "number" ? version : UNVERSIONED;
      versions.set(String(document[primaryKey]), value);
      ctx.convergence.clock.observe(value);
    }
    if (results.length === 0) break;
    offset += results.length;
    if (docsPerSecond > 0) {
      await new Promise((resolve) => setTimeout(resolve, (results.length / docsPerSecond) * 1000));
    }
  }
  return { versions, digest: digestOf(versions) };
}

export function digestOf(versions: ReadonlyMap<string, number>): string {
  const hash = createHash("sha256");
  for (const id of [...versions.keys()].sort()) hash.update(`${id}\u0000${versions.get(id)}\n`);
  return hash.digest("hex");
}
