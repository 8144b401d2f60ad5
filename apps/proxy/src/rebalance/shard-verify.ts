import type { ProxyContext } from "../context.js";
import { readShardFingerprint } from "../convergence/shard-fingerprint.js";
import { onNode } from "./move-node-error.js";
import { documentsPath, settleNodeIndex } from "./node-barrier.js";
import { type ShardCopy, writeNewer } from "./shard-copy.js";

/** The rounds a verification may take before the move is retried from scratch. */
const MAX_ROUNDS = 20;

export interface ShardVerification {
  /** The digests of the last round, by node. */
  readonly digests: Readonly<Record<string, string>>;
  readonly rounds: number;
  /** Documents copied or deleted on the target to make it match. */
  readonly repaired: number;
}

/** What the target must change to hold what the source holds, from the two fingerprints. */
export interface TargetRepair {
  readonly copy: string[];
  readonly remove: string[];
}

/**
 * Compares the two replicas' (id → version) maps, ignoring every document whose version on
 * either side is newer than `since`: such a write was accepted after the round began and is
 * on its way to both by dual write. What remains must match: the target copies what it
 * lacks or holds older, and drops what the source no longer holds.
 */
export function targetRepair(
  source: ReadonlyMap<string, number>,
  target: ReadonlyMap<string, number>,
  since: number,
): TargetRepair {
  const copy: string[] = [];
  const remove: string[] = [];
  for (const [id, version] of source) {
    if (version > since) continue;
    const there = target.get(id);
    if (there !== undefined && there > since) continue;
    if (there === undefined || there < version) copy.push(id);
  }
  for (const [id, version] of target) {
    if (version <= since && !source.has(id)) remove.push(id);
  }
  return { copy: copy.sort(), remove: remove.sort() };
}

/**
 * Verifies a copied shard: each round waits until both replicas applied every write
 * handed to them, reads both fingerprints and repairs the target from the source, until a
 * round finds nothing to repair (then, writes in flight aside, the digests are equal).
 * Deletions a client made since the copy are the source's to tell: a document the source
 * no longer holds goes from the target too.
 */
export async function verifyShard(
  ctx: ProxyContext,
  copy: ShardCopy,
  stopped: () => boolean,
): Promise<ShardVerification> {
  let repaired = 0;
  for (let round = 1; round <= MAX_ROUNDS && !stopped(); round++) {
    const since = ctx.convergence.clock.next();
    await Promise.all([
      settleNodeIndex(ctx, copy.source, copy.indexUid),
      settleNodeIndex(ctx, copy.target, copy.indexUid),
    ]);
    const [source, target] = await Promise.all(
      [copy.source, copy.target].map((nodeId) =>
        onNode(nodeId, "read the shard's fingerprint", () =>
          readShardFingerprint(ctx, nodeId, copy.indexUid, copy.primaryKey, copy.shard),
        ),
      ),
    );
    if (source === undefined || target === undefined) break;
    const repair = targetRepair(source.versions, target.versions, since);
    const digests = { [copy.source]: source.digest, [copy.target]: target.digest };
    if (repair.copy.length === 0 && repair.remove.length === 0) {
      return { digests, rounds: round, repaired };
    }
    for (let start = 0; start < repair.copy.length; start += 1_000) {
      repaired += await writeNewer(ctx, copy, repair.copy.slice(start, start + 1_000));
    }
    if (repair.remove.length > 0) {
      await onNode(copy.target, "delete documents", async () => {
        const answer = await ctx.writes.send(copy.target, copy.indexUid, {
          method: "POST",
          path: `${documentsPath(copy.indexUid)}/delete-batch`,
          json: repair.remove,
        });
        if (answer.status !== 202) throw new Error(`answered ${answer.status}`);
      });
      repaired += repair.remove.length;
    }
  }
  throw new Error(
    `shard ${copy.shard} of ${copy.indexUid} on ${copy.target} still differed from ${copy.source} after ${MAX_ROUNDS} rounds`,
  );
}
