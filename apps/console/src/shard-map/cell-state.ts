import type { NodeView, ShardsView } from "../api/admin-types.js";

/**
 * What one node is to one shard:
 * - `active`: holds it now and keeps it, and answers its health probes;
 * - `joining`: will hold it once data has moved (a target, not serving it yet);
 * - `draining`: holds it now but will give it up;
 * - `recovering`: holds it, but its last probes failed (degraded) or it has not been
 *   probed yet, so reads may skip it;
 * - `unreachable`: holds it, and the health checker holds it unreachable.
 */
export type CellState = "active" | "joining" | "draining" | "recovering" | "unreachable";

export interface ShardCell {
  readonly holds: boolean;
  readonly target: boolean;
  readonly state: CellState;
}

/** One row of the map: a shard, and for every node what the node is to it (if anything). */
export interface ShardRow {
  readonly shard: number;
  readonly cells: ReadonlyMap<string, ShardCell>;
}

export function shardRows(view: ShardsView, nodes: readonly NodeView[]): ShardRow[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  return view.shards.map(({ shard, groups }) => {
    const cells = new Map<string, ShardCell>();
    for (const group of groups) {
      const holders = new Set(group.nodes);
      const targets = new Set(group.targetNodes);
      for (const id of new Set([...group.nodes, ...group.targetNodes])) {
        const holds = holders.has(id);
        const target = targets.has(id);
        cells.set(id, { holds, target, state: stateOf(holds, target, byId.get(id)) });
      }
    }
    return { shard, cells };
  });
}

function stateOf(holds: boolean, target: boolean, node: NodeView | undefined): CellState {
  if (!holds) return "joining";
  if (node?.health === "unreachable") return "unreachable";
  if (node?.health !== "healthy") return "recovering";
  return target ? "active" : "draining";
}

export const CELL_STATES: readonly { state: CellState; letter: string; meaning: string }[] = [
  { state: "active", letter: "A", meaning: "holds it and keeps it" },
  { state: "joining", letter: "J", meaning: "will receive it" },
  { state: "draining", letter: "D", meaning: "holds it, will give it up" },
  { state: "recovering", letter: "R", meaning: "holds it, failing probes or not probed yet" },
  { state: "unreachable", letter: "U", meaning: "holds it, unreachable" },
];
