import { type MeiliError, meiliError } from "@miroir/errors";
import { InvalidPrimaryKeyError, shardOf, shardOfUtf8, validateDocumentId } from "@miroir/router";
import { inferPrimaryKey, primaryKeyValue } from "./primary-key.js";
import { RESERVED_PREFIX, reservedFieldError, reservedFieldOf } from "./reserved-field.js";
import { ShardRecords, withShard } from "./shard-records.js";

/**
 * Decides each document's shard (or the batch's rejection) and keeps its record in its
 * shard's list, noting the shards and nodes that receive records on first sight.
 */
export class BatchRouter {
  primaryKey: string | null;
  documentCount = 0;
  readonly byNode = new Map<string, number[]>();
  readonly shards = new Set<number>();
  rejection: MeiliError | null = null;
  readonly records: ShardRecords;
  /** Per shard, whether it has a record yet (`shards` as an array, for the hot path). */
  private noted: boolean[] = [];
  private readonly shardCount: number;
  private readonly targetsOf: (shard: number) => readonly string[];

  constructor(
    primaryKey: string | null,
    shardCount: number,
    targetsOf: (shard: number) => readonly string[],
    versionField: string | null,
  ) {
    this.records = new ShardRecords(versionField);
    this.primaryKey = primaryKey;
    this.shardCount = shardCount;
    this.targetsOf = targetsOf;
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
    return this.shardOfValue(value);
  }

  /**
   * The shard of a document already known to have no reserved attribute and `id` as its
   * primary-key value (a number, or a string already checked against Meilisearch's id
   * rule), or `undefined` once the batch is rejected.
   */
  shardOfId(id: string | number): number | undefined {
    this.documentCount += 1;
    if (this.rejection !== null) return undefined;
    try {
      // `shardOf` applies the id rule to numbers itself, with the same error.
      return shardOf(id, this.shardCount);
    } catch (error) {
      return this.rejectInvalidId(error);
    }
  }

  /**
   * The shard of a document already known to have no reserved attribute and whose id,
   * as Meilisearch stores it and already checked against its id rule, is the UTF-8 text
   * `bytes[start, end)`; `undefined` once the batch is rejected.
   */
  shardOfIdText(bytes: Uint8Array, start: number, end: number): number | undefined {
    this.documentCount += 1;
    if (this.rejection !== null) return undefined;
    return shardOfUtf8(bytes, start, end, this.shardCount);
  }

  /** Counts a document of a batch already rejected. */
  countRejected(): void {
    this.documentCount += 1;
  }

  /** Keeps a record built as text, its version placeholder at byte `versionAt`. */
  addText(shard: number, record: string, versionAt: number | null): void {
    this.note(shard);
    this.records.addText(shard, record, versionAt);
  }

  /** A document's text with the shard and version fields spliced in, kept as its record. */
  addDocumentText(shard: number, json: string): void {
    const { record, versionAt } = withShard(json, shard, this.records.versionField);
    this.addText(shard, record, versionAt);
  }

  /**
   * Keeps a record that is `{"_miroir_shard":N,"_miroir_updated_at":V,` and the bytes
   * `source[start, end)`.
   */
  addOpened(shard: number, source: Uint8Array, start: number, end: number): void {
    this.note(shard);
    this.records.addOpened(shard, source, start, end);
  }

  private shardOfValue(value: unknown): number | undefined {
    try {
      return shardOf(validateDocumentId(value), this.shardCount);
    } catch (error) {
      return this.rejectInvalidId(error);
    }
  }

  private rejectInvalidId(error: unknown): undefined {
    if (error instanceof InvalidPrimaryKeyError) {
      return this.reject(meiliError("invalid_document_id", error.message));
    }
    throw error;
  }

  private note(shard: number): void {
    if (this.noted[shard] === true) return;
    this.noted[shard] = true;
    this.shards.add(shard);
    for (const nodeId of this.targetsOf(shard)) {
      const shards = this.byNode.get(nodeId);
      if (shards === undefined) this.byNode.set(nodeId, [shard]);
      else shards.push(shard);
    }
  }

  private reject(error: MeiliError): undefined {
    this.rejection = error;
    this.byNode.clear();
    this.shards.clear();
    this.noted = [];
    this.records.discard();
    return undefined;
  }
}

/** The first reserved top-level key, found without building a key array. */
function reservedKeyOf(document: Record<string, unknown>): string | undefined {
  for (const key in document) {
    if (key.charCodeAt(0) === 95 /* _ */ && key.startsWith(RESERVED_PREFIX)) return key;
  }
  return undefined;
}
