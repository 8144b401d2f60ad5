import type { ProxyContext } from "../context.js";
import { expectSuccess } from "../node-client/index.js";
import { keyCopyOf } from "./key-changes.js";
import { keyHolders, readClusterKeys, readNodeKeys, referenceNode } from "./key-nodes.js";

/**
 * Copies every key of the reference node that another holder lacks, under the same uid.
 * The copy then has the same value there, because the nodes share their master key.
 * Meilisearch makes its default keys with random uids on each node, and a node may have
 * been down when a key was created. After this runs, a key that works through Miroir
 * also works on every node, and keeps working if the reference node changes. Keys
 * already expired are left alone, since a node refuses to create them. Returns the
 * number of keys copied.
 */
export async function syncClusterKeys(ctx: ProxyContext, nowMs = Date.now()): Promise<number> {
  const reference = referenceNode(ctx);
  const keys = (await readClusterKeys(ctx)).filter(
    (key) => key.expiresAt === null || Date.parse(key.expiresAt) > nowMs,
  );
  let copied = 0;
  for (const nodeId of keyHolders(ctx).filter((id) => id !== reference)) {
    const present = new Set((await readNodeKeys(ctx, nodeId)).map((key) => key.uid));
    for (const key of keys.filter((candidate) => !present.has(candidate.uid))) {
      expectSuccess(
        await ctx.nodes.call(nodeId, {
          method: "POST",
          path: "/keys",
          json: keyCopyOf(key),
        }),
      );
      copied += 1;
    }
  }
  return copied;
}
