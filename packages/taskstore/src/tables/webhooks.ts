import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, json, text, toJson } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** One of Miroir's own webhooks: where finished Miroir tasks are sent, with which headers. */
export interface WebhookRecord {
  readonly uuid: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly updatedAt: EpochMs;
}

/** What a webhook is set to: its URL and headers. */
export interface WebhookSettings {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface Webhooks {
  /** Every webhook, in creation order. */
  list(): Promise<WebhookRecord[]>;
  get(uuid: string): Promise<WebhookRecord | null>;
  /** Creates a webhook (after every existing one) or replaces the settings of one. */
  put(uuid: string, settings: WebhookSettings): Promise<WebhookRecord>;
  delete(uuid: string): Promise<boolean>;
}

const CREATION_SEQUENCE = "webhook_seq";

export function webhooks(rows: RowStore, now: () => EpochMs): Webhooks {
  const table = TABLES.webhooks;
  return {
    async list() {
      const stored = await rows.list(table);
      return stored.sort((a, b) => integer(a, "seq") - integer(b, "seq")).map(fromRow);
    },
    async get(uuid) {
      const row = await rows.get(table, [uuid]);
      return row === null ? null : fromRow(row);
    },
    async put(uuid, settings) {
      if (uuid === "") throw invalidInput("A webhook needs a uuid.");
      if (typeof settings.url !== "string" || settings.url === "") {
        throw invalidInput("A webhook needs a url.");
      }
      const existing = await rows.get(table, [uuid]);
      const seq =
        existing === null
          ? await rows.nextSequenceValue(CREATION_SEQUENCE)
          : integer(existing, "seq");
      const row = await rows.update(table, [uuid], (current) => ({
        uuid,
        url: settings.url,
        headers_json: toJson(settings.headers),
        seq: current === null ? seq : integer(current, "seq"),
        updated_at: now(),
      }));
      return fromRow(row as Row);
    },
    delete: (uuid) => rows.delete(table, [uuid]),
  };
}

function fromRow(row: Row): WebhookRecord {
  return {
    uuid: text(row, "uuid"),
    url: text(row, "url"),
    headers: json(row, "headers_json"),
    updatedAt: integer(row, "updated_at"),
  };
}
