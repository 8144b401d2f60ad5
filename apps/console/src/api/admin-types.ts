/** The shapes of the admin API answers the console reads (see docs/operations.md). */

export type NodeState = "joining" | "active" | "draining" | "failed" | "removed";
export type NodeHealth = "healthy" | "degraded" | "unreachable" | "unknown";

export interface NodeView {
  id: string;
  address: string;
  replicaGroup: number;
  state: NodeState;
  health: NodeHealth | null;
  shardCount: number;
  targetShardCount: number;
  lastSeen: string | null;
  error: string | null;
}

export interface TopologyView {
  shards: number;
  replicationFactor: number;
  replicaGroups: number;
  nodes: NodeView[];
  coverage: { uncoveredShards: number; degradedShards: number };
  warnings?: string[];
}

export interface ShardsView {
  shards: { shard: number; groups: { group: number; nodes: string[]; targetNodes: string[] }[] }[];
}

export interface VersionsView {
  nodes: { id: string; version: string | null }[];
  process: { hostname: string; startedAt: string; nodeVersion: string; taskStore: string };
}

export interface TaskError {
  message: string;
  code: string;
  type: string;
  link: string;
}

export interface AdminTask {
  uid: number;
  indexUid: string | null;
  status: "enqueued" | "processing" | "succeeded" | "failed" | "canceled";
  type: string;
  canceledBy: number | null;
  details?: Record<string, unknown>;
  error: TaskError | null;
  duration: string | null;
  enqueuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  nodeTasks: { nodeId: string; taskUid: number; status: string | null }[];
}

export interface TaskPage {
  results: AdminTask[];
  total: number;
  limit: number;
  from: number | null;
  next: number | null;
}

export interface IndexView {
  uid: string;
  primaryKey: string | null;
  numberOfDocuments: number;
  documentsPerShard: number[];
  filterableAttributes: string[];
  sortableAttributes: string[];
}

export interface IndexesView {
  results: IndexView[];
  unavailableShards: number[];
}

export interface PendingMove {
  shard: number;
  group: number;
  from: string[];
  to: string[];
  gains: string[];
  losses: string[];
}

export interface RebalanceStatus {
  status: string;
  rebalancerAvailable: boolean;
  pendingMoves: PendingMove[];
}
