import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, json, text, toJson } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/**
 * A node request a replica did not confirm (down, timed out, refused with a 5xx), kept so
 * it can be sent again, in order, when the replica answers again. The request is stored
 * as the node received it: method, path, query, content type and the body's bytes.
 */
export interface HintedRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly contentType?: string;
  /** The body's bytes, base64-encoded, or absent for a request without one. */
  readonly bodyBase64?: string;
}

export interface NewHint {
  readonly nodeId: string;
  readonly indexUid: string;
  /** The write's version (hybrid logical clock): hints are replayed in this order. */
  readonly version: number;
  /** The Miroir task the write belongs to. */
  readonly taskUid: number;
  readonly request: HintedRequest;
}

export interface HintRecord extends NewHint {
  /** Store-wide sequence: the order of two hints of one version. */
  readonly seq: number;
  readonly createdAt: EpochMs;
}

export interface HintQueue {
  /** Records the hints; each gets its sequence number. */
  append(hints: readonly NewHint[]): Promise<HintRecord[]>;
  /** The node's hints in replay order (version, then sequence); at most `limit`. */
  list(nodeId: string, limit?: number): Promise<HintRecord[]>;
  /** Removes replayed hints; answers how many existed. */
  remove(seqs: readonly number[]): Promise<number>;
  /** Pending hints per node id (nodes without hints absent). */
  pendingByNode(): Promise<Map<string, number>>;
}

export function hintQueue(rows: RowStore, now: () => EpochMs): HintQueue {
  const table = TABLES.hints;
  return {
    async append(hints) {
      const recorded: HintRecord[] = [];
      for (const hint of hints) {
        if (hint.nodeId === "" || !Number.isSafeInteger(hint.version)) {
          throw invalidInput("A hint needs a node id and an integer version.");
        }
        const seq = await rows.nextSequenceValue("hint_seq");
        const record: HintRecord = { ...hint, seq, createdAt: now() };
        await rows.put(table, {
          seq,
          node_id: hint.nodeId,
          index_uid: hint.indexUid,
          version: hint.version,
          task_uid: hint.taskUid,
          request: toJson(hint.request),
          created_at: record.createdAt,
        });
        recorded.push(record);
      }
      return recorded;
    },
    async list(nodeId, limit = Number.POSITIVE_INFINITY) {
      const stored = (await rows.list(table, nodeId)).map(fromRow);
      stored.sort((a, b) => a.version - b.version || a.seq - b.seq);
      return stored.slice(0, limit);
    },
    remove: (seqs) =>
      rows.deleteMany(
        table,
        seqs.map((seq) => [seq]),
      ),
    async pendingByNode() {
      const counts = new Map<string, number>();
      for (const row of await rows.list(table)) {
        const nodeId = text(row, "node_id");
        counts.set(nodeId, (counts.get(nodeId) ?? 0) + 1);
      }
      return counts;
    },
  };
}

function fromRow(row: Row): HintRecord {
  return {
    seq: integer(row, "seq"),
    nodeId: text(row, "node_id"),
    indexUid: text(row, "index_uid"),
    version: integer(row, "version"),
    taskUid: integer(row, "task_uid"),
    request: json(row, "request"),
    createdAt: integer(row, "created_at"),
  };
}
