import {
  type NodeState,
  RouterError,
  type Topology,
  withJoiningNode,
  withNodeState,
  withReplicaGroup,
} from "@miroir/router";
import type { TaskStore } from "@miroir/taskstore";
import type { Logger } from "pino";

/**
 * A change made to the fleet (by the admin API, the configuration file or a migration's
 * cut-over). Each one is kept as a `topology_change` job in the task store, in order, so
 * that a restarted proxy (or another proxy process sharing the store) rebuilds the same
 * topology from the recorded fleet plus these changes. The jobs are a journal: they stay
 * queued and are never claimed.
 */
export type TopologyChange =
  | {
      readonly kind: "add";
      readonly id: string;
      readonly address: string;
      readonly group: number;
      /** Added because the configuration file listed it (it drains once no longer listed). */
      readonly fromConfig?: true;
    }
  | { readonly kind: "state"; readonly id: string; readonly state: NodeState }
  /** One more replica group, numbered after the last; its nodes are added next. */
  | { readonly kind: "group" }
  /**
   * Several nodes change state at once: a migration's cut-over (or its rollback), which
   * must never be seen half applied.
   */
  | {
      readonly kind: "states";
      readonly changes: readonly { readonly id: string; readonly state: NodeState }[];
    };

export const TOPOLOGY_CHANGE_JOB = "topology_change";

export function applyTopologyChange(topology: Topology, change: TopologyChange): Topology {
  if (change.kind === "add") {
    return withJoiningNode(topology, {
      id: change.id,
      address: change.address,
      group: change.group,
    });
  }
  if (change.kind === "group") return withReplicaGroup(topology);
  if (change.kind === "states") {
    return change.changes.reduce(
      (current, { id, state }) => withNodeState(current, id, state),
      topology,
    );
  }
  return withNodeState(topology, change.id, change.state);
}

export async function recordTopologyChange(
  store: TaskStore,
  change: TopologyChange,
): Promise<void> {
  await store.jobs.enqueue({ type: TOPOLOGY_CHANGE_JOB, params: change });
}

/**
 * The configured topology with every recorded change applied in order. A change that no
 * longer applies (the node was since added to the configuration file, say) is skipped
 * and logged.
 */
export async function restoreTopology(
  store: TaskStore,
  configured: Topology,
  logger: Logger,
): Promise<Topology> {
  let topology = configured;
  for (const job of await store.jobs.list()) {
    if (job.type !== TOPOLOGY_CHANGE_JOB) continue;
    const change = job.params as TopologyChange;
    try {
      topology = applyTopologyChange(topology, change);
    } catch (error) {
      if (!(error instanceof RouterError)) throw error;
      logger.info({ change, reason: error.message }, "recorded topology change skipped");
    }
  }
  return topology;
}
