import { type MeiliError, meiliError } from "@miroir/errors";
import { InvalidPrimaryKeyError, shardOf, validateDocumentId } from "@miroir/router";
import { csvRecords } from "./csv-records.js";
import { malformedPayload, missingPayload, type PayloadFormat } from "./payload-format.js";
import { inferPrimaryKey, primaryKeyValue } from "./primary-key.js";
import {
  RESERVED_PREFIX,
  reservedFieldError,
  reservedFieldOf,
  SHARD_FIELD,
} from "./reserved-field.js";

export interface BatchRoutingInput {
  /** The payload as decoded text pieces, in order (e.g. as the request body streams in). */
  readonly text: AsyncIterable<string> | Iterable<string>;
  readonly format: PayloadFormat;
  /** The index's primary key or the `primaryKey` parameter; `null` to infer it. */
  readonly primaryKey: string | null;
  readonly shards: number;
  readonly targetsOf: (shard: number) => readonly string[];
  readonly csvDelimiter: string;
}

/**
 * A batch checked and split by shard. Each shard's records are kept once, however many
 * nodes receive them. A document-level problem leaves `rejection` set and nothing routed: the write becomes a failed task and no node is called.
 */
export interface RoutedBatch {
  readonly primaryKey: string | null;
  readonly documentCount: number;
  /** Per shard, its records (documents with `_miroir_shard`) in acceptance order. */
  readonly byShard: Map<number, string[]>;
  /** Per target node, the shards it receives, in first-seen order. */
  readonly byNode: Map<string, number[]>;
  readonly shards: Set<number>;
  /** What the nodes receive: NDJSON for JSON and NDJSON input, CSV for CSV. */
  readonly nodeFormat: "ndjson" | "csv";
  /** For CSV: the header record, with the shard column added. */
  readonly csvHeader: string | null;
  readonly rejection: MeiliError | null;
}

/**
 * Parses a document payload once, validates every document (no reserved field, primary key
 * present and valid) and splits it by shard with `_miroir_shard` injected. Payload-level
 * problems (malformed, empty) are thrown; document-level ones are returned as `rejection`.
 * NDJSON is routed line by line as the pieces arrive, so the whole payload is never held
 * as one string; JSON and CSV are parsed whole.
 */
export async function routeBatch(input: BatchRoutingInput): Promise<RoutedBatch> {
  const router = new BatchRouter(input);
  if (input.format === "ndjson") {
    const lines = new NdjsonLines(router);
    for await (const piece of input.text) lines.push(piece);
    lines.end();
  } else {
    let text = "";
    for await (const piece of input.text) text += piece;
    if (input.format === "csv") routeCsv(text, input.csvDelimiter, router);
    else routeJson(text, router);
  }
  return router.result(input.format === "csv" ? "csv" : "ndjson");
}

class BatchRouter {
  primaryKey: string | null;
  documentCount = 0;
  byShard = new Map<number, string[]>();
  byNode = new Map<string, number[]>();
  shards = new Set<number>();
  csvHeader: string | null = null;
  rejection: MeiliError | null = null;
  private readonly input: BatchRoutingInput;
  /** Per shard, its records array, looked up by index on the hot path. */
  private readonly recordsOfShard: (string[] | undefined)[] = [];

  constructor(input: BatchRoutingInput) {
    this.input = input;
    this.primaryKey = input.primaryKey;
  }

  /**
   * The shard of a document, or `undefined` once the batch is rejected. `attributes`
   * names the document's top-level attributes when they are not its own keys (CSV).
   */
  shardOf(document: Record<string, unknown>, attributes?: readonly string[]): number | undefined {
    this.documentCount += 1;
    if (this.rejection !== null) return undefined;
    const reserved =
      attributes === undefined ? reservedKeyOf(document) : reservedFieldOf(attributes);
    if (reserved !== undefined) return this.reject(reservedFieldError(reserved));
    if (this.primaryKey === null) {
      const inferred = inferPrimaryKey(attributes ?? Object.keys(document));
      if (typeof inferred !== "string") return this.reject(inferred);
      this.primaryKey = inferred;
    }
    const value = primaryKeyValue(document, this.primaryKey);
    if (value === undefined || value === null) {
      return this.reject(
        meiliError(
          "missing_document_id",
          `Document doesn't have a \`${this.primaryKey}\` attribute: \`${JSON.stringify(document)}\`.`,
        ),
      );
    }
    try {
      return shardOf(validateDocumentId(value), this.input.shards);
    } catch (error) {
      if (error instanceof InvalidPrimaryKeyError) {
        return this.reject(meiliError("invalid_document_id", error.message));
      }
      throw error;
    }
  }

  add(shard: number, record: string): void {
    let records = this.recordsOfShard[shard];
    if (records === undefined) {
      records = [];
      this.recordsOfShard[shard] = records;
      this.byShard.set(shard, records);
      this.shards.add(shard);
      for (const nodeId of this.input.targetsOf(shard)) {
        const shards = this.byNode.get(nodeId);
        if (shards === undefined) this.byNode.set(nodeId, [shard]);
        else shards.push(shard);
      }
    }
    records.push(record);
  }

  private reject(error: MeiliError): undefined {
    this.rejection = error;
    this.byShard.clear();
    this.byNode.clear();
    this.shards.clear();
    this.recordsOfShard.length = 0;
    return undefined;
  }

  result(nodeFormat: "ndjson" | "csv"): RoutedBatch {
    return {
      primaryKey: this.primaryKey,
      documentCount: this.documentCount,
      byShard: this.byShard,
      byNode: this.byNode,
      shards: this.shards,
      nodeFormat,
      csvHeader: this.csvHeader,
      rejection: this.rejection,
    };
  }
}

/** The first reserved top-level key, found without building a key array (hot path). */
function reservedKeyOf(document: Record<string, unknown>): string | undefined {
  for (const key in document) {
    if (key.charCodeAt(0) === 95 /* _ */ && key.startsWith(RESERVED_PREFIX)) return key;
  }
  return undefined;
}

const SHARD_PREFIX = `"${SHARD_FIELD}":`;

/**
 * `{"_miroir_shard":N,` spliced after the opening brace of a serialised object: the raw
 * text is kept as sent, never re-serialised.
 */
export function withShard(json: string, shard: number): string {
  if (json.charCodeAt(0) === 123 /* { */ && json.charCodeAt(1) === 34 /* " */) {
    return shardOpening(shard) + json.slice(1);
  }
  const brace = json.indexOf("{");
  let next = brace + 1;
  while (next < json.length && isJsonWhitespace(json.charCodeAt(next))) next += 1;
  const separator = json.charCodeAt(next) === 125 /* } */ ? "" : ",";
  return `${json.slice(0, brace + 1)}${SHARD_PREFIX}${shard}${separator}${json.slice(brace + 1)}`;
}

const openings: string[] = [];

/** `{"_miroir_shard":N,`, built once per shard. */
function shardOpening(shard: number): string {
  let opening = openings[shard];
  if (opening === undefined) {
    opening = `{${SHARD_PREFIX}${shard},`;
    openings[shard] = opening;
  }
  return opening;
}

function isJsonWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    if (!isJsonWhitespace(line.charCodeAt(i))) return false;
  }
  return true;
}

function isDocument(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Splits NDJSON text pieces into lines and routes each complete line. */
class NdjsonLines {
  private carry = "";
  private lineNumber = 0;
  private seen = false;
  private readonly router: BatchRouter;

  constructor(router: BatchRouter) {
    this.router = router;
  }

  push(piece: string): void {
    const text = this.carry === "" ? piece : this.carry + piece;
    let start = 0;
    for (;;) {
      const end = text.indexOf("\n", start);
      if (end === -1) break;
      this.line(text, start, end);
      start = end + 1;
    }
    this.carry = text.slice(start);
  }

  end(): void {
    if (this.carry !== "") this.line(this.carry, 0, this.carry.length);
    this.carry = "";
    if (!this.seen) throw missingPayload("ndjson");
  }

  private line(text: string, start: number, end: number): void {
    this.lineNumber += 1;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const line = text.slice(start, stop);
    if (isBlank(line)) return;
    this.seen = true;
    let document: unknown;
    try {
      document = JSON.parse(line);
    } catch (error) {
      throw malformedPayload("ndjson", `${(error as Error).message} at line ${this.lineNumber}`);
    }
    if (!isDocument(document)) {
      throw malformedPayload("ndjson", `expected a JSON object at line ${this.lineNumber}`);
    }
    const shard = this.router.shardOf(document);
    if (shard !== undefined) this.router.add(shard, withShard(line, shard));
  }
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
    if (shard !== undefined) router.add(shard, withShard(JSON.stringify(document), shard));
  }
}

function routeCsv(text: string, delimiter: string, router: BatchRouter): void {
  const records = csvRecords(text, delimiter);
  const header = records.next();
  if (header.done === true) throw missingPayload("csv");
  const columns = header.value.cells.map(csvColumn);
  router.csvHeader = `${header.value.raw}${delimiter}${SHARD_FIELD}:number`;
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
    if (shard !== undefined) router.add(shard, `${record.raw}${delimiter}${shard}`);
  }
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
