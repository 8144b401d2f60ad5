import { type NodeControl, startNode } from "../node/server.js";
import { startMeiliProcess } from "./meili-process.js";
import { isRealMode } from "./real-mode.js";

export interface ClusterOptions {
  /** nodes in all (default 3) */
  nodes?: number;
  /** replica groups (default 1); nodes are split evenly, in order */
  groups?: number;
  /** replication factor inside each group (default 1) */
  rf?: number;
  /** shards per index (default 64) */
  shards?: number;
  /** the key clients present to Miroir; null (default) for none */
  masterKey?: string | null;
  /** the master key every node shares, so API keys derive identically on all of them */
  nodeMasterKey?: string;
  /** real Meilisearch processes; defaults to `isRealMode()` */
  real?: boolean;
}

export interface ClusterNode {
  id: string;
  address: string;
  replica_group: number;
  /** emulated nodes only */
  control?: NodeControl;
}

export interface Cluster {
  nodes: ClusterNode[];
  mode: "emulated" | "real";
  /** A Miroir config input for these nodes, in @miroir/config's key names. */
  config: Record<string, unknown>;
  stop(): Promise<void>;
}

/** The node master key clusters use unless told otherwise (Meilisearch wants ≥ 16 bytes). */
export const DEFAULT_NODE_MASTER_KEY = "miroir-testkit-node-master-key";

/**
 * Starts `nodes` Meilisearch nodes (emulated, or real with `MEILI_BIN`) named `node-0`,
 * `node-1`, …, in groups of `nodes / groups` in order, and the Miroir config for them.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const count = options.nodes ?? 3;
  const groups = options.groups ?? 1;
  const real = options.real ?? isRealMode();
  const nodeMasterKey = options.nodeMasterKey ?? DEFAULT_NODE_MASTER_KEY;
  if (!Number.isInteger(count) || count < 1) throw new Error("a cluster needs at least one node");
  if (!Number.isInteger(groups) || groups < 1 || count % groups !== 0) {
    throw new Error(`${count} nodes cannot be split evenly into ${groups} replica groups`);
  }
  const perGroup = count / groups;
  const ids = Array.from({ length: count }, (_, i) => `node-${i}`);
  const started = await Promise.allSettled(
    ids.map((id) =>
      real
        ? startMeiliProcess({ id, masterKey: nodeMasterKey })
        : startNode({ id, masterKey: nodeMasterKey }),
    ),
  );
  const running = started.flatMap((result) =>
    result.status === "fulfilled" ? [result.value] : [],
  );
  const stop = async () => {
    await Promise.all(running.map((node) => node.stop()));
  };
  const failure = started.find((result) => result.status === "rejected");
  if (failure !== undefined) {
    await stop();
    throw failure.reason;
  }
  const nodes: ClusterNode[] = running.map((node, i) => ({
    id: node.id,
    address: node.url,
    replica_group: Math.floor(i / perGroup),
    ...("control" in node ? { control: node.control as NodeControl } : {}),
  }));
  return {
    nodes,
    mode: real ? "real" : "emulated",
    config: {
      shards: options.shards ?? 64,
      replication_factor: options.rf ?? 1,
      replica_groups: groups,
      nodes: nodes.map(({ id, address, replica_group }) => ({ id, address, replica_group })),
      node_master_key: nodeMasterKey,
      master_key: options.masterKey ?? null,
      task_store: { backend: "sqlite", path: ":memory:" },
    },
    stop,
  };
}
