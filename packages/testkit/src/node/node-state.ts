import type { KeyStore } from "./auth/key-store.js";
import type { NodeFaults } from "./faults.js";
import type { IndexRegistry } from "./index-registry.js";
import type { TaskQueue } from "./task-queue.js";

/** Everything one emulated node holds; the routes read and change it. */
export interface NodeState {
  indexes: IndexRegistry;
  tasks: TaskQueue;
  /** null when the node runs without a master key (no auth, like Meilisearch) */
  keys: KeyStore | null;
  faults: NodeFaults;
  payloadLimit: number;
}
