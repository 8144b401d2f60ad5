import type { RowStore, TableSpec } from "../row-store.js";
import { integer, json } from "../tables/row-fields.js";
import { TABLES } from "../tables/table-specs.js";
import type { RedisKeys } from "./redis-keys.js";
import type { RedisConnection } from "./redis-row-store.js";

/** The two tables of layout 1 that held the webhooks and the notifier's cursor. */
const LAYOUT_1 = {
  searchUiConfig: {
    name: "search_ui_config",
    key: ["index_uid"],
    columns: { index_uid: "text", config_json: "text", updated_at: "integer" },
  },
  cdcCursors: {
    name: "cdc_cursors",
    key: ["sink_name", "index_uid"],
    columns: {
      sink_name: "text",
      index_uid: "text",
      last_event_seq: "integer",
      updated_at: "integer",
    },
    partition: "sink_name",
  },
} as const satisfies Record<string, TableSpec>;

const WEBHOOKS_ROW = ["miroir:webhooks"];
const CURSOR_ROW = ["miroir-webhooks", "*"];

/**
 * Layout 1 → 2: webhooks get rows of their own and the notifier a cursor row of its own
 * (they were one JSON row of `search_ui_config`, key `miroir:webhooks`, and the
 * `cdc_cursors` row of sink `miroir-webhooks`). Copying is idempotent, so processes that
 * open the store at the same time may all run it; the version moves to 2 only from 1, and
 * the old rows go last.
 */
export async function migrateLayout1To2(
  client: RedisConnection,
  keys: RedisKeys,
  rows: RowStore,
): Promise<void> {
  const [webhooksRow, cursorRow] = await Promise.all([
    rows.get(LAYOUT_1.searchUiConfig, WEBHOOKS_ROW),
    rows.get(LAYOUT_1.cdcCursors, CURSOR_ROW),
  ]);
  if (webhooksRow !== null) {
    const stored = json<{ webhooks?: Record<string, { url: string; headers?: object }> }>(
      webhooksRow,
      "config_json",
    );
    const entries = Object.entries(stored.webhooks ?? {});
    await Promise.all(
      entries.map(([uuid, hook], seq) =>
        rows.put(TABLES.webhooks, {
          uuid,
          url: hook.url,
          headers_json: JSON.stringify(hook.headers ?? {}),
          seq,
          updated_at: integer(webhooksRow, "updated_at"),
        }),
      ),
    );
    // The next webhook created comes after every copied one (never moving the counter back).
    await client.eval(
      "if tonumber(redis.call('GET', KEYS[1]) or '0') < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end return 1",
      { keys: [keys.sequence("webhook_seq")], arguments: [String(entries.length)] },
    );
  }
  if (cursorRow !== null) {
    await rows.put(TABLES.webhookCursor, {
      name: "notifier",
      finished_at: integer(cursorRow, "last_event_seq"),
      updated_at: integer(cursorRow, "updated_at"),
    });
  }
  await client.eval(
    "if redis.call('GET', KEYS[1]) == '1' then redis.call('SET', KEYS[1], '2') end return 1",
    { keys: [keys.schemaVersion()], arguments: [] },
  );
  await rows.delete(LAYOUT_1.searchUiConfig, WEBHOOKS_ROW);
  await rows.delete(LAYOUT_1.cdcCursors, CURSOR_ROW);
}

/**
 * Layout 2 → 3: hints and tombstones are new keyspaces with nothing to copy; only the
 * version moves (from 2, never from a newer one).
 */
export async function migrateLayout2To3(client: RedisConnection, keys: RedisKeys): Promise<void> {
  await client.eval(
    "if redis.call('GET', KEYS[1]) == '2' then redis.call('SET', KEYS[1], '3') end return 1",
    { keys: [keys.schemaVersion()], arguments: [] },
  );
}

/**
 * Layout 3 → 4: idempotency keys and sessions are new keyspaces with nothing to copy; only
 * the version moves (from 3, never from a newer one).
 */
export async function migrateLayout3To4(client: RedisConnection, keys: RedisKeys): Promise<void> {
  await client.eval(
    "if redis.call('GET', KEYS[1]) == '3' then redis.call('SET', KEYS[1], '4') end return 1",
    { keys: [keys.schemaVersion()], arguments: [] },
  );
}
