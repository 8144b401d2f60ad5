import type { TaskStore } from "@miroir/taskstore";
import type { Webhook } from "./webhook-settings.js";

/**
 * The task store has no table of its own for webhooks; they live in one row of the keyed
 * JSON configuration table (`search_ui_config`), under a key no index uid can take (index
 * uids never contain `:`). Every proxy sharing the store sees the same webhooks.
 */
export const WEBHOOKS_ROW_KEY = "miroir:webhooks";

interface StoredWebhooks {
  readonly webhooks: Readonly<Record<string, Webhook>>;
}

/** Webhooks by uuid, in creation order. */
export interface WebhookStore {
  list(): Promise<Map<string, Webhook>>;
  /** Writes the whole set (a read-modify-write by the caller; the last writer wins). */
  save(webhooks: ReadonlyMap<string, Webhook>): Promise<void>;
}

export function webhookStore(store: TaskStore): WebhookStore {
  return {
    async list() {
      const row = await store.searchUiConfigs.get(WEBHOOKS_ROW_KEY);
      const stored = (row?.config ?? { webhooks: {} }) as StoredWebhooks;
      return new Map(Object.entries(stored.webhooks));
    },
    async save(webhooks) {
      const stored: StoredWebhooks = { webhooks: Object.fromEntries(webhooks) };
      await store.searchUiConfigs.put(WEBHOOKS_ROW_KEY, stored);
    },
  };
}
