import { randomUUID } from "node:crypto";
import { meiliError } from "@miroir/errors";
import type { TaskStore, WebhookRecord } from "@miroir/taskstore";
import { notifyFromNow } from "./webhook-notifier.js";
import {
  applyWebhookSettings,
  MAX_WEBHOOKS,
  type WebhookView,
  webhookUuid,
  webhookView,
} from "./webhook-settings.js";

/** `/webhooks` over the task store's `webhooks` table. */
export interface WebhookChanges {
  list(): Promise<WebhookView[]>;
  get(uuid: string): Promise<WebhookView>;
  /**
   * Creates a webhook; under `uuid` when given (a dump import keeps the dump's uuids), where
   * a webhook that already exists is left as it is.
   */
  create(body: unknown, uuid?: string): Promise<WebhookView>;
  update(uuid: string, body: unknown): Promise<WebhookView>;
  delete(uuid: string): Promise<void>;
}

/**
 * Miroir's own webhooks, checked as Meilisearch checks them (`webhook-settings.ts`).
 * Changes run one after the other in this process, so the limit of 20 holds for the
 * changes it makes; proxies sharing a store change each webhook's row atomically.
 */
export function webhookChanges(store: TaskStore): WebhookChanges {
  let writing: Promise<unknown> = Promise.resolve();
  const serialized = <T>(change: () => Promise<T>): Promise<T> => {
    const next = writing.then(change);
    writing = next.catch(() => undefined);
    return next;
  };
  const view = (record: WebhookRecord) => webhookView(record.uuid, record);

  async function found(uuid: string): Promise<WebhookRecord> {
    const record = await store.webhooks.get(uuid);
    if (record === null) throw meiliError("webhook_not_found", `Webhook \`${uuid}\` not found.`);
    return record;
  }

  return {
    list: async () => (await store.webhooks.list()).map(view),
    get: async (uuid) => view(await found(uuid)),
    create: (body, given) =>
      serialized(async () => {
        if (given !== undefined) {
          const present = await store.webhooks.get(webhookUuid(given));
          if (present !== null) return view(present);
        }
        const existing = await store.webhooks.list();
        if (existing.length >= MAX_WEBHOOKS) {
          throw meiliError(
            "invalid_webhooks",
            `Defining too many webhooks would crush the server. Please limit the number of webhooks to ${MAX_WEBHOOKS}. You may use a third-party proxy server to dispatch events to more than ${MAX_WEBHOOKS} endpoints.`,
          );
        }
        const uuid = given === undefined ? randomUUID() : webhookUuid(given);
        const settings = applyWebhookSettings(uuid, undefined, body);
        // The first webhook hears only of the tasks that finish after it exists.
        if (existing.length === 0) await notifyFromNow(store);
        return view(await store.webhooks.put(uuid, settings));
      }),
    update: (uuid, body) =>
      serialized(async () => {
        const settings = applyWebhookSettings(uuid, await found(uuid), body);
        return view(await store.webhooks.put(uuid, settings));
      }),
    delete: (uuid) =>
      serialized(async () => {
        await found(uuid);
        await store.webhooks.delete(uuid);
      }),
  };
}
