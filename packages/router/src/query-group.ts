import { NoReadableGroupError } from "./errors.js";
import { readableGroups } from "./routing-table.js";
import type { GroupId, Topology } from "./topology.js";

/**
 * The replica group that answers query number `seq` (a per-process counter):
 * round-robin, `seq mod n`, over the groups that serve reads.
 */
export function queryGroup(seq: number, topology: Topology): GroupId {
  const groups = readableGroups(topology);
  if (groups.length === 0) {
    throw new NoReadableGroupError();
  }
  return groups[Math.abs(Math.trunc(seq)) % groups.length] as GroupId;
}
