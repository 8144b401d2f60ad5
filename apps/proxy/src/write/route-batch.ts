import { type MeiliError, meiliError } from "@miroir/errors";
import { InvalidPrimaryKeyError, shardOf, validateDocumentId } from "@miroir/router";
import { csvRecords } from "./csv-records.js";
import { malformedPayload, missingPayload, type PayloadFormat } from "./payload-format.js";
import { inferPrimaryKey, primaryKeyValue } from "./primary-key.js";
import { reservedFieldError, reservedFieldOf, SHARD_FIELD } from "./reserved-field.js";

export interface BatchRoutingInput {
  readonly text: string;
  readonly format: PayloadFormat;
  /** The index's primary key or the `primaryKey` parameter; `null` to infer it. */
  readonly primaryKey: string | null;
  readonly shards: number;
  readonly targetsOf: (shard: number) => readonly string[];
  readonly csvDelimiter: string;
}

/** The documents one node receives: records in acceptance order, with their shards. */
export interface NodeBatch {
  readonly records: string[];
  readonly shards: Set<number>;
}

/**
 * A batch checked and split by shard. A document-level problem leaves `rejection` set and
 * `byNode` empty: the write becomes a failed task and no node is called.
 */
export interface RoutedBatch {
  readonly primaryKey: string | null;
  readonly documentCount: number;
  readonly byNode: Map<string, NodeBatch>;
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
 */
export function routeBatch(input: BatchRoutingInput): RoutedBatch {
  const router = new BatchRouter(input);
  if (input.format === "csv") routeCsv(input, router);
  else if (input.format === "ndjson") routeNdjson(input, router);
  else routeJson(input, router);
  return router.result(input.format === "csv" ? "csv" : "ndjson");
}

class BatchRouter {
  primaryKey: string | null;
  documentCount = 0;
  byNode = new Map<string, NodeBatch>();
  shards = new Set<number>();
  csvHeader: string | null = null;
  rejection: MeiliError | null = null;
  private readonly input: BatchRoutingInput;

  constructor(input: BatchRoutingInput) {
    this.input = input;
    this.primaryKey = input.primaryKey;
  }

  /** The shard of a document, or `undefined` once the batch is rejected. */
  shardOf(document: Record<string, unknown>, attributes: () => string[]): number | undefined {
    this.documentCount += 1;
    if (this.rejection !== null) return undefined;
    const reserved = reservedFieldOf(attributes());
    if (reserved !== undefined) return this.reject(reservedFieldError(reserved));
    if (this.primaryKey === null) {
      const inferred = inferPrimaryKey(attributes());
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
    this.shards.add(shard);
    for (const nodeId of this.input.targetsOf(shard)) {
      let batch = this.byNode.get(nodeId);
      if (batch === undefined) {
        batch = { records: [], shards: new Set() };
        this.byNode.set(nodeId, batch);
      }
      batch.records.push(record);
      batch.shards.add(shard);
    }
  }

  private reject(error: MeiliError): undefined {
    this.rejection = error;
    this.byNode.clear();
    this.shards.clear();
    return undefined;
  }

  result(nodeFormat: "ndjson" | "csv"): RoutedBatch {
    return {
      primaryKey: this.primaryKey,
      documentCount: this.documentCount,
      byNode: this.byNode,
      shards: this.shards,
      nodeFormat,
      csvHeader: this.csvHeader,
      rejection: this.rejection,
    };
  }
}

/** `{"_miroir_shard":N,` spliced after the opening brace of a serialised object. */
function withShard(json: string, shard: number): string {
  const brace = json.indexOf("{");
  const rest = json.slice(brace + 1);
  const separator = rest.trimStart().startsWith("}") ? "" : ",";
  return `${json.slice(0, brace + 1)}"${SHARD_FIELD}":${shard}${separator}${rest}`;
}

function isDocument(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function routeNdjson(input: BatchRoutingInput, router: BatchRouter): void {
  const text = input.text;
  let start = 0;
  let lineNumber = 0;
  let seen = false;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    lineNumber += 1;
    const line =
      text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    if (line.trim() === "") continue;
    seen = true;
    let document: unknown;
    try {
      document = JSON.parse(line);
    } catch (error) {
      throw malformedPayload("ndjson", `${(error as Error).message} at line ${lineNumber}`);
    }
    if (!isDocument(document)) {
      throw malformedPayload("ndjson", `expected a JSON object at line ${lineNumber}`);
    }
    const shard = router.shardOf(document, () => Object.keys(document));
    if (shard !== undefined) router.add(shard, withShard(line, shard));
  }
  if (!seen) throw missingPayload("ndjson");
}

function routeJson(input: BatchRoutingInput, router: BatchRouter): void {
  if (input.text.trim() === "") throw missingPayload("json");
  let payload: unknown;
  try {
    payload = JSON.parse(input.text);
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
    const shard = router.shardOf(document, () => Object.keys(document));
    if (shard !== undefined) router.add(shard, withShard(JSON.stringify(document), shard));
  }
}

function routeCsv(input: BatchRoutingInput, router: BatchRouter): void {
  const delimiter = input.csvDelimiter;
  const records = csvRecords(input.text, delimiter);
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
    const shard = router.shardOf(document, () => names);
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
