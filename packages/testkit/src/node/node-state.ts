import type { KeyStore } from "./auth/key-store.js";
import type { NodeFaults } from "./faults.js";
import type { IndexRegistry } from "./index-registry.js";
import type { ChatWorkspaceSettings } from "./routes/chats/chat-workspace.js";
import type { SearchRule } from "./routes/dynamic-search-rules/search-rules.js";
import type { ExperimentalFeatures } from "./routes/experimental-features/index.js";
import type { Webhook } from "./routes/webhooks/webhook-settings.js";
import type { TaskQueue } from "./task-queue.js";

/** Everything one emulated node holds; the routes read and change it. */
export interface NodeState {
  indexes: IndexRegistry;
  tasks: TaskQueue;
  /** null when the node runs without a master key (no auth, like Meilisearch) */
  keys: KeyStore | null;
  faults: NodeFaults;
  payloadLimit: number;
  /** `/experimental-features` switches, all off at first. */
  features: ExperimentalFeatures;
  /** Webhooks by uuid, in creation order. */
  webhooks: Map<string, Webhook>;
  /** Chat workspaces by uid, with their settings. */
  chats: Map<string, ChatWorkspaceSettings>;
  /** Dynamic search rules by uid, in creation order. */
  searchRules: Map<string, SearchRule>;
}
