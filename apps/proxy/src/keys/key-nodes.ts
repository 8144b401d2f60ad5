import { healthOf, receivesWrites, servesReads } from "@miroir/router";
import type { ApiKey } from "../auth/index.js";
import type { ProxyContext } from "../context.js";
import { expectSuccess } from "../node-client/index.js";

/** Nodes that hold the cluster's keys: every node that receives writes. */
export function keyHolders(ctx: ProxyContext): string[] {
  const known = new Set(ctx.nodes.nodeIds);
  return ctx.cluster.topology.nodes
    .filter((node) => receivesWrites(node.state) && known.has(node.id))
    .map((node) => node.id);
}

/**
 * The node that answers key reads for the cluster: the first reachable node, in
 * configuration order, that serves reads. Its keys (the default keys included) are the
 * cluster's; keys created through Miroir exist on every holder with the same uid.
 */
export function referenceNode(ctx: ProxyContext): string {
  const holders = keyHolders(ctx);
  const serving = ctx.cluster.topology.nodes
    .filter((node) => servesReads(node.state) && holders.includes(node.id))
    .map((node) => node.id);
  const reachable = serving.find((id) => healthOf(ctx.cluster.health, id) !== "unreachable");
  return reachable ?? serving[0] ?? holders[0] ?? (ctx.nodes.nodeIds[0] as string);
}

interface KeyPage {
  readonly results: ApiKey[];
  readonly total: number;
}

const PAGE = 1_000;

/** Every key of one node, paged. */
export async function readNodeKeys(ctx: ProxyContext, nodeId: string): Promise<ApiKey[]> {
  const keys: ApiKey[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = expectSuccess<KeyPage>(
      await ctx.nodes.call(nodeId, {
        method: "GET",
        path: "/keys",
        query: { offset: String(offset), limit: String(PAGE) },
      }),
    );
    keys.push(...page.results);
    if (page.results.length < PAGE || keys.length >= page.total) return keys;
  }
}

/** Every key of the reference node: the cluster's keys. */
export function readClusterKeys(ctx: ProxyContext): Promise<ApiKey[]> {
  return readNodeKeys(ctx, referenceNode(ctx));
}
