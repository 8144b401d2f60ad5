import type { Topology } from "@miroir/router";
import type { TaskStore } from "@miroir/taskstore";
import { type DutyRunner, startDuty } from "../duties/background-duty.js";
import { restoreTopology, TOPOLOGY_CHANGE_JOB } from "./topology-journal.js";

export interface TopologyFollowerOptions {
  readonly store: TaskStore;
  /** The topology of the configuration file, before any recorded change. */
  readonly configured: Topology;
  readonly current: () => Topology;
  readonly apply: (topology: Topology) => void;
  readonly intervalMs: number;
  /** Runs the reads as the `topology-follower` duty (every process follows for itself). */
  readonly duties: DutyRunner;
}

export interface TopologyFollower {
  /** Reads the journal now; applies it when it holds changes this process has not seen. */
  check(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keeps this process's topology equal to the configuration plus the topology changes
 * recorded in the task store, so that a node added or drained through another proxy
 * sharing the store is seen here within one interval, not at the next restart. The
 * journal only grows; when its list of change ids differs from the last one applied,
 * the whole topology is rebuilt from it (the same replay a restart does).
 */
export function startTopologyFollower(options: TopologyFollowerOptions): TopologyFollower {
  const { logger } = options.duties;
  let seen: string | undefined;

  async function read(): Promise<void> {
    const before = options.current();
    const ids = (await options.store.jobs.list())
      .filter((job) => job.type === TOPOLOGY_CHANGE_JOB)
      .map((job) => job.id)
      .join(",");
    if (ids === seen) return;
    const rebuilt = await restoreTopology(options.store, options.configured, logger);
    // A change made here while the journal was read is newer than what was read: the
    // next round reads it again rather than putting an older topology back.
    if (options.current() !== before) return;
    seen = ids;
    if (sameFleet(rebuilt, before)) return;
    options.apply(rebuilt);
    logger.info({ nodes: rebuilt.nodes.length }, "topology changed through another proxy");
  }

  // Proxies started together would read the journal in step: jitter spreads them.
  const reads = startDuty(options.duties, {
    name: "topology-follower",
    intervalMs: options.intervalMs,
    mode: "everywhere",
    jitter: 0.1,
    run: read,
  });
  return { check: reads.runNow, stop: reads.stop };
}

function sameFleet(a: Topology, b: Topology): boolean {
  if (a.nodes.length !== b.nodes.length) return false;
  return a.nodes.every((node, at) => {
    const other = b.nodes[at];
    return (
      other !== undefined &&
      other.id === node.id &&
      other.address === node.address &&
      other.group === node.group &&
      other.state === node.state
    );
  });
}
