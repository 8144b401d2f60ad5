export { type CoveringSet, coveringSet, fillHoles } from "./covering-set.js";
export {
  documentIdText,
  isValidDocumentId,
  MAX_DOCUMENT_ID_BYTES,
  type PrimaryKeyValue,
  validateDocumentId,
} from "./document-id.js";
export {
  IllegalTransitionError,
  InvalidPrimaryKeyError,
  InvalidTopologyError,
  NoReadableGroupError,
  RouterError,
  UnknownNodeError,
} from "./errors.js";
export { xxh64, xxh64Hex } from "./hash/index.js";
export { pendingMoves, planMove, type ShardMove } from "./move-plan.js";
export {
  type HealthRecord,
  type HealthThresholds,
  type HealthView,
  healthOf,
  INITIAL_HEALTH,
  type NodeHealth,
  observeProbe,
} from "./node-health.js";
export { compareUtf8, type NodeId, nodeScore, rankNodes } from "./node-score.js";
export {
  isLegalTransition,
  isPlacementTarget,
  NODE_STATES,
  type NodeState,
  nextStates,
  ownsData,
  receivesWrites,
  servesReads,
} from "./node-state.js";
export { placement, targetPlacement } from "./placement.js";
export { queryGroup } from "./query-group.js";
export {
  chooseReplica,
  isExploring,
  type ReplicaLoad,
  type ReplicaLoads,
  type ReplicaWeights,
  replicaCost,
} from "./replica-choice.js";
export { readableGroups, type ShardRoute, shardRoute, writeTargets } from "./routing-table.js";
export {
  type AssignmentRequest,
  assignShards,
  type ShardAssignment,
} from "./shard-assignment.js";
export { type ShardCoverage, shardCoverage } from "./shard-coverage.js";
export { MAX_SHARDS, shardOf, shardOfUtf8 } from "./shard-of.js";
export { type NodeShards, shardsByNode } from "./shard-ownership.js";
export {
  createTopology,
  findNode,
  type GroupId,
  type NodeEntry,
  nodesOfGroup,
  type PlacementSettings,
  type Topology,
  type TopologyNode,
  topologyFromConfig,
  withJoiningNode,
  withNodeState,
  withReplicaGroup,
  withShards,
} from "./topology.js";
export { evaluateQuorum, type QuorumOutcome, quorumSize } from "./write-quorum.js";
