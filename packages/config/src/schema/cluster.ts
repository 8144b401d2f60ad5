import { integer, secret, setting } from "./fields.js";
import { nodesSchema } from "./node.js";

export const MAX_SHARDS = 65_536;

/** Keys and the shape of the fleet: how documents are split and copied across nodes. */
export const clusterEntries = {
  master_key: setting(
    secret(),
    null,
    "Key clients must present (Meilisearch semantics); null disables auth. Prefer MIROIR_MASTER_KEY.",
  ),
  node_master_key: setting(
    secret(),
    null,
    "Master key Miroir presents to the nodes; null when nodes run without a key. Prefer MIROIR_NODE_MASTER_KEY.",
  ),
  shards: setting(
    integer(1, MAX_SHARDS),
    64,
    "Number of hash shards S per index; fixed at index creation.",
  ),
  replication_factor: setting(
    integer(1),
    1,
    "Copies of each shard inside every replica group (RF); at most the node count of the smallest group.",
  ),
  replica_groups: setting(
    integer(1),
    1,
    "Number of replica groups (RG); each group holds every shard and serves whole searches.",
  ),
  nodes: nodesSchema,
};
