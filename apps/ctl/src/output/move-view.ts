import type { ShardMove } from "../client/admin-client.js";
import { orDash, renderTable } from "./table.js";

export function renderMoves(moves: readonly ShardMove[]): string {
  if (moves.length === 0) return "Nothing to move: every shard is where it belongs.";
  const table = renderTable(moves, [
    { heading: "SHARD", cell: (move) => String(move.shard), align: "right" },
    { heading: "GROUP", cell: (move) => String(move.group), align: "right" },
    { heading: "FROM", cell: (move) => orDash(move.from) },
    { heading: "TO", cell: (move) => orDash(move.to) },
  ]);
  const count = moves.length === 1 ? "1 shard move" : `${moves.length} shard moves`;
  return `${table}\n${count} pending`;
}
