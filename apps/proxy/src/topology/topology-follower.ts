import type { Topology } from "@miroir/router";
import type { TaskStore } from "@miroir/taskstore";
import type { Logger } from "pino";
import { restoreTopology, TOPOLOGY_CHANGE_JOB } from "./topology-journal.js";

export interface TopologyFollowerOptions {
  readonly store: TaskStore;
  /** The topology of the configuration file, before any recorded change. */
  readonly configured: Topology;
  readonly current: () => Topology;
  readonly apply: (topology: Topology) => void;
  readonly intervalMs: number;
  readonly logger: Logger;
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
  let seen: string | undefined;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function read(): Promise<void> {
    const before = options.current();
    const ids = (await options.store.jobs.list())
      .filter((job) => job.type === TOPOLOGY_CHANGE_JOB)
      .map((job) => job.id)
      .join(",");
    if (ids === seen) return;
    const rebuilt = await restoreTopology(options.store, options.configured, options.logger);
    // A change made here while the journal was read is newer than what was read: the
    // next round reads it again rather than putting an older topology back.
    if (options.current() !== before) return;
    seen = ids;
    if (sameFleet(rebuilt, before)) return;
    options.apply(rebuilt);
    options.logger.info({ nodes: rebuilt.nodes.length }, "topology changed through another proxy");
  }

  function check(): Promise<void> {
    running ??= read()
      .catch((error: unknown) =>
        options.logger.warn({ err: error }, "reading the topology journal failed"),
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void check().finally(schedule);
    }, options.intervalMs);
    timer.unref();
  }
  schedule();

  return {
    check,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
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
