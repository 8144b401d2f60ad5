import { startNode } from "../node/server.js";
import type { NodeControl } from "../node-control.js";
import { type MeiliProcess, startMeiliProcess } from "./meili-process.js";
import { isRealMode } from "./real-mode.js";
import { realNodeControl } from "./real-node-control.js";
import { type Relay, startRelay } from "./relay.js";

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
  /**
   * Puts a loopback relay in front of every node (default false): the node's `address`
   * is then the relay's, and `relay` degrades the link between Miroir and the node.
   */
  relay?: boolean;
}

export interface ClusterNode {
  id: string;
  /** where Miroir reaches the node: the relay when there is one, else the node itself */
  address: string;
  replica_group: number;
  /** the node itself, bypassing any relay */
  directAddress: string;
  /** the node's faults, in either mode */
  control: NodeControl;
  /** the relay in front of the node, with `relay: true` */
  relay?: Relay;
  /** the Meilisearch process, for real nodes */
  meili?: MeiliProcess;
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
 * How a cluster starts real nodes: indexing buffers sized for test data (Meilisearch's
 * default, two thirds of the RAM, costs most of a second per write on a small machine)
 * and loopback allowed for webhooks and REST embedders, so tests can receive them.
 */
const REAL_TEST_NODE = { maxIndexingMemory: "64MiB", allowedIpNetworks: "127.0.0.0/8" };

interface StartedNode {
  id: string;
  /** the relay's address when there is one */
  url: string;
  directUrl: string;
  control: NodeControl;
  relay?: Relay;
  meili?: MeiliProcess;
  stop(): Promise<void>;
}

async function startOne(id: string, masterKey: string, real: boolean): Promise<StartedNode> {
  if (!real) {
    const node = await startNode({ id, masterKey });
    return { ...node, directUrl: node.url };
  }
  const meili = await startMeiliProcess({ id, masterKey, ...REAL_TEST_NODE });
  return {
    id,
    url: meili.url,
    directUrl: meili.url,
    meili,
    control: realNodeControl(meili, masterKey, undefined),
    stop: () => meili.stop(),
  };
}

/** A node behind a relay: a killed node refuses connections at the relay as it would itself. */
async function behindRelay(node: StartedNode, masterKey: string): Promise<StartedNode> {
  const relay = await startRelay({ target: node.url });
  const base =
    node.meili === undefined ? node.control : realNodeControl(node.meili, masterKey, relay);
  const control: NodeControl = {
    ...base,
    kill: async () => {
      await relay.refuse();
      await base.kill();
    },
    restart: async () => {
      await base.restart();
      await relay.heal();
    },
  };
  return {
    ...node,
    control,
    url: relay.url,
    relay,
    stop: async () => {
      await relay.close();
      await node.stop();
    },
  };
}

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
    ids.map(async (id) => {
      const node = await startOne(id, nodeMasterKey, real);
      if (options.relay !== true) return node;
      try {
        return await behindRelay(node, nodeMasterKey);
      } catch (error) {
        await node.stop();
        throw error;
      }
    }),
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
    directAddress: node.directUrl,
    control: node.control,
    ...(node.relay === undefined ? {} : { relay: node.relay }),
    ...(node.meili === undefined ? {} : { meili: node.meili }),
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
