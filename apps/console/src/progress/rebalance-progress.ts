import { adminCall } from "../api/admin-api.js";
import type { RebalanceStatus, TopologyView } from "../api/admin-types.js";
import type { ProgressItem, ProgressSource } from "./progress-source.js";

/**
 * The rebalance, from `GET /_miroir/rebalance/status`: of every (shard, group) placement,
 * how many already sit where the topology wants them.
 */
export const rebalanceProgress: ProgressSource = {
  id: "rebalance",
  title: "Rebalance",
  async load() {
    const [status, topology] = await Promise.all([
      adminCall<RebalanceStatus>("rebalance/status"),
      adminCall<TopologyView>("topology"),
    ]);
    return [rebalanceItem(status, topology.shards * topology.replicaGroups)];
  },
};

export function rebalanceItem(status: RebalanceStatus, placements: number): ProgressItem {
  const pending = status.pendingMoves.length;
  const done = Math.max(0, placements - pending);
  const state: ProgressItem["state"] = !status.rebalancerAvailable
    ? "unavailable"
    : pending === 0
      ? "done"
      : status.status === "idle"
        ? "idle"
        : "running";
  return {
    id: "rebalance",
    title: "Shard placements in place",
    state,
    done,
    total: placements,
    unit: "placements",
    ...(status.rebalancerAvailable
      ? {}
      : {
          note:
            pending === 0
              ? "Every shard is where the topology wants it."
              : `No rebalancer runs in this version: ${pending} move(s) wait for one.`,
        }),
  };
}
