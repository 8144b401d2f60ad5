import { meiliError } from "@miroir/errors";
import { type IndexObject, mergeIndexObjects } from "@miroir/merger";
import { askNodes, successfulAnswers } from "../broadcast/ask-nodes.js";
import type { ProxyContext } from "../context.js";
import { indexPath, type NodeRequest } from "../node-client/index.js";

export interface IndexesPage {
  readonly results: IndexObject[];
  readonly offset: number;
  readonly limit: number;
  readonly total: number;
}

/** The answers of every node that answers; a node that is down holds no index of its own. */
async function fromEveryNode<T>(ctx: ProxyContext, request: NodeRequest): Promise<T[]> {
  return [...successfulAnswers(await askNodes<T>(ctx, ctx.nodes.nodeIds, request)).values()];
}

/**
 * `GET /indexes`: every index any node holds that the caller may see (`allowsIndex`), by
 * uid, each merged over its copies (`mergeIndexObjects`, @miroir/merger).
 */
export async function listIndexes(
  ctx: ProxyContext,
  allowsIndex: (indexUid: string) => boolean,
  window: { readonly offset: number; readonly limit: number },
): Promise<IndexesPage> {
  const pages = await fromEveryNode<{ results: IndexObject[] }>(ctx, {
    method: "GET",
    path: "/indexes",
    query: { limit: "1000000" },
  });
  const byUid = new Map<string, IndexObject[]>();
  for (const page of pages) {
    for (const index of page.results)
      byUid.set(index.uid, [...(byUid.get(index.uid) ?? []), index]);
  }
  const all = [...byUid.keys()]
    .filter(allowsIndex)
    .sort()
    .map((uid) => mergeIndexObjects(byUid.get(uid) ?? []) as IndexObject);
  return {
    results: all.slice(window.offset, window.offset + window.limit),
    offset: window.offset,
    limit: window.limit,
    total: all.length,
  };
}

/** `GET /indexes/{uid}`: the index merged over the nodes that hold it. */
export async function getIndex(ctx: ProxyContext, indexUid: string): Promise<IndexObject> {
  const copies = await fromEveryNode<IndexObject>(ctx, {
    method: "GET",
    path: indexPath(indexUid),
  });
  const merged = mergeIndexObjects(copies);
  if (merged === undefined) {
    throw meiliError("index_not_found", `Index \`${indexUid}\` not found.`);
  }
  return merged;
}
