import type { MeiliError } from "@miroir/errors";
import { SHARD_FIELD } from "@miroir/merger";
import { VERSION_PLACEHOLDER } from "../convergence/version-clock.js";
import { BatchRouter } from "./batch-router.js";
import { csvRecords } from "./csv-records.js";
import { NdjsonLines } from "./ndjson-lines.js";
import { malformedPayload, missingPayload, type PayloadFormat } from "./payload-format.js";

type Pieces<T> = AsyncIterable<T> | Iterable<T>;

/** A payload as it arrives: raw UTF-8 bytes (a request body), or text already decoded. */
export type BatchPayload =
  | { readonly body: Pieces<Uint8Array> }
  | { readonly text: Pieces<string> };

export type BatchRoutingInput = BatchPayload & {
  readonly format: PayloadFormat;
  /** The index's primary key or the `primaryKey` parameter; `null` to infer it. */
  readonly primaryKey: string | null;
  readonly shards: number;
  readonly targetsOf: (shard: number) => readonly string[];
  readonly csvDelimiter: string;
  /**
   * The document field that carries the write's version (`anti_entropy.updated_at_field`),
   * or null to write none (anti-entropy off).
   */
  readonly versionField: string | null;
};

/**
 * A batch checked and split by shard. Each shard's records are kept once, however many
 * nodes receive them. A document-level problem leaves `rejection` set and nothing routed: the write becomes a failed task and no node is called.
 */
export interface RoutedBatch {
  readonly primaryKey: string | null;
  readonly documentCount: number;
  /**
   * Per shard, its records (documents with `_miroir_shard` and the version) in acceptance order, joined
   * by line breaks: the shard's part of a node's body, as UTF-8 pieces to send in order.
   */
  readonly byShard: Map<number, readonly Uint8Array[]>;
  /** Per target node, the shards it receives, in first-seen order. */
  readonly byNode: Map<string, number[]>;
  readonly shards: Set<number>;
  /** What the nodes receive: NDJSON for JSON and NDJSON input, CSV for CSV. */
  readonly nodeFormat: "ndjson" | "csv";
  /** For CSV: the header record, with the shard column added. */
  readonly csvHeader: string | null;
  readonly rejection: MeiliError | null;
  /**
   * Writes the write's version into every record: called once, right before the records
   * are sent, when the write takes its place in the order.
   */
  readonly stamp: (version: number) => void;
}

/**
 * Reads a document payload once, validates every document (no reserved field, primary key
 * present and valid) and splits it by shard with `_miroir_shard` injected. Payload-level
 * problems (malformed, empty) are thrown; document-level ones are returned as `rejection`.
 * NDJSON is routed line by line as the pieces arrive, on its bytes: a document's record is
 * its line as sent, behind the injected field; JSON and CSV are parsed whole.
 */
export async function routeBatch(input: BatchRoutingInput): Promise<RoutedBatch> {
  const router = new BatchRouter(
    input.primaryKey,
    input.shards,
    input.targetsOf,
    input.versionField,
  );
  let csvHeader: string | null = null;
  if (input.format === "ndjson") {
    const lines = new NdjsonLines(router);
    for await (const piece of bytesOf(input)) lines.push(piece);
    lines.end();
  } else {
    let text = "";
    try {
      for await (const piece of textOf(input)) text += piece;
    } catch (error) {
      // Bytes that are not UTF-8: Meilisearch refuses the payload, and so nothing is written.
      if (!(error instanceof TypeError)) throw error;
      throw malformedPayload(input.format, "invalid utf-8");
    }
    if (input.format === "csv") {
      csvHeader = routeCsv(text, input.csvDelimiter, input.versionField, router);
    } else routeJson(text, router);
  }
  const stamp = router.records.stamper();
  return {
    stamp,
    primaryKey: router.primaryKey,
    documentCount: router.documentCount,
    byShard: router.rejection === null ? router.records.bodies() : new Map(),
    byNode: router.byNode,
    shards: router.shards,
    nodeFormat: input.format === "csv" ? "csv" : "ndjson",
    csvHeader,
    rejection: router.rejection,
  };
}

/** The payload's UTF-8 bytes, piece by piece. */
async function* bytesOf(payload: BatchPayload): AsyncGenerator<Uint8Array> {
  if ("body" in payload) {
    yield* payload.body;
    return;
  }
  // A surrogate pair cut between two pieces is encoded once whole.
  let pending = "";
  for await (const piece of payload.text) {
    const text = pending + piece;
    const last = text.charCodeAt(text.length - 1);
    const cut = last >= 0xd800 && last <= 0xdbff ? text.length - 1 : text.length;
    pending = text.slice(cut);
    yield Buffer.from(text.slice(0, cut));
  }
  if (pending !== "") yield Buffer.from(pending);
}

/** The payload's text, piece by piece (decoded as it streams in). */
async function* textOf(payload: BatchPayload): AsyncGenerator<string> {
  if ("text" in payload) {
    yield* payload.text;
    return;
  }
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for await (const chunk of payload.body) yield decoder.decode(chunk, { stream: true });
  yield decoder.decode();
}

function isDocument(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function routeJson(text: string, router: BatchRouter): void {
  if (text.trim() === "") throw missingPayload("json");
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw malformedPayload("json", (error as Error).message);
  }
  const documents = Array.isArray(payload) ? payload : [payload];
  for (const document of documents) {
    if (!isDocument(document)) {
      throw malformedPayload(
        "json",
        `Couldn't serialize document value: expected an object, got ${JSON.stringify(document)}`,
      );
    }
  }
  for (const document of documents as Record<string, unknown>[]) {
    const shard = router.shardOf(document);
    if (shard !== undefined) router.addDocumentText(shard, JSON.stringify(document));
  }
}

/** Routes CSV records; answers the header record with the shard column added. */
function routeCsv(
  text: string,
  delimiter: string,
  versionField: string | null,
  router: BatchRouter,
): string {
  const records = csvRecords(text, delimiter);
  const header = records.next();
  if (header.done === true) throw missingPayload("csv");
  const columns = header.value.cells.map(csvColumn);
  const versionColumn = versionField === null ? "" : `${delimiter}${versionField}:number`;
  const csvHeader = `${header.value.raw}${delimiter}${SHARD_FIELD}:number${versionColumn}`;
  const names = columns.map((column) => column.name);
  for (const record of records) {
    if (record.cells.length !== columns.length) {
      throw malformedPayload(
        "csv",
        `CSV error: record has ${record.cells.length} fields, but the header has ${columns.length}`,
      );
    }
    const document: Record<string, unknown> = {};
    columns.forEach((column, index) => {
      document[column.name] = csvValue(record.cells[index] as string, column.type);
    });
    const shard = router.shardOf(document, names);
    if (shard === undefined) continue;
    if (versionField === null) {
      router.addText(shard, `${record.raw}${delimiter}${shard}`, null);
    } else {
      const head = `${record.raw}${delimiter}${shard}${delimiter}`;
      router.addText(shard, `${head}${VERSION_PLACEHOLDER}`, Buffer.byteLength(head));
    }
  }
  return csvHeader;
}

interface CsvColumn {
  readonly name: string;
  readonly type: "string" | "number" | "boolean";
}

/** Meilisearch's CSV header syntax: `name`, `name:string`, `name:number`, `name:boolean`. */
function csvColumn(cell: string): CsvColumn {
  const colon = cell.lastIndexOf(":");
  if (colon !== -1) {
    const type = cell.slice(colon + 1);
    if (type === "string" || type === "number" || type === "boolean") {
      return { name: cell.slice(0, colon), type };
    }
  }
  return { name: cell, type: "string" };
}

function csvValue(cell: string, type: CsvColumn["type"]): unknown {
  if (cell === "") return null;
  if (type === "number") {
    const value = Number(cell);
    if (Number.isNaN(value))
      throw malformedPayload("csv", `could not parse \`${cell}\` as a number`);
    return value;
  }
  if (type === "boolean") return cell.trim() === "true";
  return cell;
}
