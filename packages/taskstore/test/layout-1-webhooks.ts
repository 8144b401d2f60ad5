import { expect } from "vitest";
import type { TaskStore } from "../src/index.js";

/**
 * What a store of the first layout held for webhooks: the JSON row `miroir:webhooks` of
 * `search_ui_config` (written at 5) and the `cdc_cursors` row of sink `miroir-webhooks`.
 */
export const LAYOUT_1_WEBHOOKS = {
  config: {
    webhooks: {
      "b-uuid": { url: "http://first/", headers: { Authorization: "Bearer k" } },
      "a-uuid": { url: "http://second/", headers: {} },
    },
  },
  updatedAt: 5,
  cursor: 1234,
};

/** The migrated store holds those webhooks in their order and the cursor, and creates after them. */
export async function expectLayout1WebhooksMigrated(store: TaskStore): Promise<void> {
  expect(await store.webhooks.list()).toEqual([
    { uuid: "b-uuid", url: "http://first/", headers: { Authorization: "Bearer k" }, updatedAt: 5 },
    { uuid: "a-uuid", url: "http://second/", headers: {}, updatedAt: 5 },
  ]);
  expect(await store.webhookCursor.get()).toBe(LAYOUT_1_WEBHOOKS.cursor);
  await store.webhooks.put("c-uuid", { url: "http://third/", headers: {} });
  expect((await store.webhooks.list()).map((hook) => hook.uuid)).toEqual([
    "b-uuid",
    "a-uuid",
    "c-uuid",
  ]);
}
