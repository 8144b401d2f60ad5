import { type RequestTarget, requestJson } from "./http-request.js";

/** One node in `GET /_miroir/topology`. */
export interface TopologyNode {
  readonly id: string;
  readonly address: string;
  readonly replicaGroup: number;
  /** Lifecycle, set by operators: joining, active, draining, failed, removed. */
  readonly state: string;
  /** Set by the health checker: healthy, degraded, unreachable; `unknown` before the first probe, null once removed. */
  readonly health: string | null;
  readonly shardCount: number;
  readonly targetShardCount: number;
  readonly lastSeen: string | null;
  readonly error: string | null;
}

/** `GET /_miroir/topology` (also the answer of every node change). */
export interface TopologyAnswer {
  readonly shards: number;
  readonly replicationFactor: number;
  readonly replicaGroups: number;
  readonly nodes: readonly TopologyNode[];
  readonly coverage: { readonly uncoveredShards: number; readonly degradedShards: number };
}

/** `GET /_miroir/shards`: per shard and group, the nodes that hold it and will hold it. */
export interface ShardsAnswer {
  readonly shards: readonly {
    readonly shard: number;
    readonly groups: readonly {
      readonly group: number;
      readonly nodes: readonly string[];
      readonly targetNodes: readonly string[];
    }[];
  }[];
}

/** A shard whose holders in one group must change. */
export interface ShardMove {
  readonly shard: number;
  readonly group: number;
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly gains?: readonly string[];
  readonly losses?: readonly string[];
}

/** One shard move of a migration, with its progress. */
export interface MigrationMove extends ShardMove {
  readonly phase: string;
  readonly copied: number;
  readonly total: number;
  readonly source: string | null;
  /** Documents per second copied so far. */
  readonly rate: number;
  readonly etaSeconds: number | null;
}

/** The running migration, or the last one. */
export interface MigrationAnswer {
  readonly id: string;
  /** moving, cutover, cleanup, done or canceled. */
  readonly phase: string;
  readonly shardsDone: number;
  readonly shardsTotal: number;
  readonly documentsCopied: number;
  readonly error: string | null;
  readonly moves: readonly MigrationMove[];
}

/**
 * `GET /_miroir/rebalance/status`; `POST /_miroir/rebalance` adds `started`,
 * `POST /_miroir/rebalance/cancel` adds `canceled`.
 */
export interface RebalanceAnswer {
  readonly status: string;
  /** False when this proxy has no rebalancer: moves are listed but never executed. */
  readonly rebalancerAvailable: boolean;
  readonly pendingMoves: readonly ShardMove[];
  readonly migration?: MigrationAnswer | null;
  readonly started?: boolean;
  readonly canceled?: boolean;
}

/** One anti-entropy pass: `POST /_miroir/verify` and `POST /_miroir/repair`. */
export interface PassAnswer {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly repair: boolean;
  readonly divergentDocuments: number;
  readonly repairedDocuments: number;
  readonly divergentSettings: number;
  readonly indexes: readonly {
    readonly indexUid: string;
    readonly shards: readonly {
      readonly shard: number;
      readonly documents: number;
      readonly divergent: number;
      readonly repaired: number;
      readonly skipped: readonly string[];
    }[];
    readonly settings: {
      readonly divergent: readonly string[];
      readonly repaired: readonly string[];
      readonly undecided: boolean;
    };
  }[];
}

/** `GET /_miroir/repair/status`. */
export interface RepairStatusAnswer {
  readonly running: {
    readonly progress: { indexUid: string; shardsDone: number; shardsTotal: number } | null;
  } | null;
  readonly last: PassAnswer | null;
  readonly hintsPending: Readonly<Record<string, number>>;
  readonly recovering: readonly string[];
  /** Nodes whose hints passed the bound, until a full repair of their shards verified them. */
  readonly awaitingFullRepair: readonly string[];
}

/** `GET /_miroir/proxies`: the Miroir processes sharing the task store. */
export interface ProxiesAnswer {
  readonly leader: { readonly id: string; readonly token: number | null } | null;
  readonly proxies: readonly {
    readonly id: string;
    readonly address: string;
    readonly version: string;
    readonly leader: boolean;
    readonly duties: readonly string[];
    readonly startedAt: string;
    readonly lastSeen: string;
    readonly self: boolean;
  }[];
}

/** What a verify or repair covers: one index, one shard of it, or everything. */
export interface PassScope {
  readonly indexUid?: string;
  readonly shard?: number;
}

/** An alias in `/_miroir/aliases`. */
export interface AliasAnswer {
  readonly name: string;
  readonly indexes: readonly string[];
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly history: readonly {
    readonly indexes: readonly string[];
    readonly version: number;
    readonly until: string;
  }[];
}

/** A dump import (`/_miroir/dumps/import`): its progress and checkpoint. */
export interface ImportAnswer {
  readonly id: string;
  /** processing, succeeded, failed, or interrupted (its process stopped: resumable). */
  readonly status: string;
  readonly phase: string;
  readonly dumpVersion: number | null;
  readonly fileBytes: number;
  readonly keys: number;
  readonly indexes: number;
  readonly documents: number;
  readonly totalDocuments: number | null;
  readonly documentBytes: number;
  readonly documentsPerSecond: number;
  readonly bytesPerSecond: number;
  readonly checkpoint: { readonly source: number; readonly offset: number };
  readonly failedTasks: readonly number[];
  readonly runs: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
}

/** A reshard, as `/_miroir/indexes/{uid}/reshard` shows it. */
export interface ReshardAnswer {
  readonly id: string;
  /** The name clients use. */
  readonly name: string;
  readonly source: string;
  readonly target: string;
  readonly fromShards: number;
  readonly toShards: number;
  /** queued, creating, copying, catching_up, switching, switched, done, canceled, failed. */
  readonly phase: string;
  /** processing, succeeded, canceled or failed. */
  readonly status: string;
  readonly waitingForWindow: boolean;
  readonly documentsCopied: number;
  readonly documentsTotal: number | null;
  readonly documentsPerSecond: number;
  readonly catchUpRounds: number;
  readonly verified: { readonly documents: number; readonly digest: string } | null;
  readonly cancelRequested: boolean;
  readonly startedAt: string;
  readonly switchedAt: string | null;
  readonly dropAfter: string | null;
  readonly finishedAt: string | null;
  readonly error: string | null;
}

/** Miroir's admin API under `/_miroir/`, called with the admin key. */
export interface AdminClient {
  startReshard(index: string, shards: number): Promise<ReshardAnswer>;
  reshardStatus(index: string): Promise<ReshardAnswer>;
  reshards(): Promise<{ readonly results: readonly ReshardAnswer[]; readonly total: number }>;
  cancelReshard(index: string): Promise<ReshardAnswer>;
  /** Uploads a dump (streamed); `resume` continues that import from its checkpoint. */
  importDump(dump: ReadableStream<Uint8Array>, resume: string | null): Promise<ImportAnswer>;
  importStatus(id: string): Promise<ImportAnswer>;
  imports(): Promise<{ results: readonly ImportAnswer[] }>;
  topology(): Promise<TopologyAnswer>;
  shards(): Promise<ShardsAnswer>;
  addNode(node: { id: string; address: string; replicaGroup: number }): Promise<TopologyAnswer>;
  drainNode(id: string): Promise<TopologyAnswer>;
  removeNode(id: string): Promise<TopologyAnswer>;
  rebalanceStatus(): Promise<RebalanceAnswer>;
  startRebalance(): Promise<RebalanceAnswer>;
  cancelRebalance(): Promise<RebalanceAnswer>;
  verify(scope: PassScope): Promise<PassAnswer>;
  repair(scope: PassScope): Promise<PassAnswer>;
  repairStatus(): Promise<RepairStatusAnswer>;
  proxies(): Promise<ProxiesAnswer>;
  aliases(): Promise<{ readonly results: readonly AliasAnswer[]; readonly total: number }>;
  alias(name: string): Promise<AliasAnswer>;
  createAlias(name: string, indexes: readonly string[]): Promise<AliasAnswer>;
  switchAlias(
    name: string,
    indexes: readonly string[],
    expectedVersion?: number,
  ): Promise<AliasAnswer>;
  deleteAlias(name: string): Promise<void>;
}

/** A pass reads every document id of every replica: it may take minutes, not seconds. */
const PASS_TIMEOUT_MS = 3_600_000;

export function createAdminClient(target: RequestTarget): AdminClient {
  const node = (id: string) => `_miroir/nodes/${encodeURIComponent(id)}`;
  const alias = (name: string) => `_miroir/aliases/${encodeURIComponent(name)}`;
  return {
    topology: () => requestJson(target, "GET", "_miroir/topology"),
    shards: () => requestJson(target, "GET", "_miroir/shards"),
    addNode: (body) => requestJson(target, "POST", "_miroir/nodes", body),
    drainNode: (id) => requestJson(target, "POST", `${node(id)}/drain`),
    removeNode: (id) => requestJson(target, "DELETE", node(id)),
    rebalanceStatus: () => requestJson(target, "GET", "_miroir/rebalance/status"),
    startRebalance: () => requestJson(target, "POST", "_miroir/rebalance"),
    cancelRebalance: () => requestJson(target, "POST", "_miroir/rebalance/cancel"),
    verify: (scope) =>
      requestJson({ ...target, timeoutMs: PASS_TIMEOUT_MS }, "POST", "_miroir/verify", scope),
    repair: (scope) =>
      requestJson({ ...target, timeoutMs: PASS_TIMEOUT_MS }, "POST", "_miroir/repair", scope),
    repairStatus: () => requestJson(target, "GET", "_miroir/repair/status"),
    proxies: () => requestJson(target, "GET", "_miroir/proxies"),
    aliases: () => requestJson(target, "GET", "_miroir/aliases"),
    alias: (name) => requestJson(target, "GET", alias(name)),
    createAlias: (name, indexes) =>
      requestJson(target, "POST", "_miroir/aliases", { name, indexes }),
    switchAlias: (name, indexes, expectedVersion) =>
      requestJson(target, "PUT", alias(name), {
        indexes,
        ...(expectedVersion === undefined ? {} : { expectedVersion }),
      }),
    deleteAlias: (name) => requestJson(target, "DELETE", alias(name)),
    importDump: (dump, resume) =>
      requestJson(
        target,
        "POST",
        `_miroir/dumps/import${resume === null ? "" : `?resume=${encodeURIComponent(resume)}`}`,
        undefined,
        { stream: dump, contentType: "application/gzip", timeoutMs: PASS_TIMEOUT_MS },
      ),
    importStatus: (id) =>
      requestJson(target, "GET", `_miroir/dumps/import/${encodeURIComponent(id)}`),
    imports: () => requestJson(target, "GET", "_miroir/dumps/import"),
    startReshard: (index, shards) => requestJson(target, "POST", reshard(index), { shards }),
    reshardStatus: (index) => requestJson(target, "GET", reshard(index)),
    reshards: () => requestJson(target, "GET", "_miroir/reshards"),
    cancelReshard: (index) => requestJson(target, "DELETE", reshard(index)),
  };
}

const reshard = (index: string) => `_miroir/indexes/${encodeURIComponent(index)}/reshard`;
