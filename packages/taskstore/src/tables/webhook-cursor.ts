import { requireTime } from "../input-checks.js";
import type { RowStore } from "../row-store.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** How far the webhook notifier got: the finish time of the last Miroir task it sent. */
export interface WebhookCursor {
  /** Null before notifications ever started. */
  get(): Promise<EpochMs | null>;
  /** Moves the cursor forward; a time at or before the stored one changes nothing. */
  advance(finishedAt: EpochMs): Promise<EpochMs>;
}

/** The notifier is one per store, so its cursor is one row. */
const NOTIFIER = "notifier";

export function webhookCursor(rows: RowStore, now: () => EpochMs): WebhookCursor {
  const table = TABLES.webhookCursor;
  return {
    async get() {
      const row = await rows.get(table, [NOTIFIER]);
      return row === null ? null : integer(row, "finished_at");
    },
    async advance(finishedAt) {
      requireTime(finishedAt, "finishedAt");
      const row = await rows.update(table, [NOTIFIER], (current) => {
        if (current !== null && integer(current, "finished_at") >= finishedAt) return undefined;
        return { name: NOTIFIER, finished_at: finishedAt, updated_at: now() };
      });
      return row === null ? finishedAt : integer(row, "finished_at");
    },
  };
}
