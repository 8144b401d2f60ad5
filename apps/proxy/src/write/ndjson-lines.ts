import { MAX_DOCUMENT_ID_BYTES } from "@miroir/router";
import type { BatchRouter } from "./batch-router.js";
import {
  type DocumentLineFacts,
  documentLineFacts,
  KeyValueKind,
  LineKind,
  scanDocumentLine,
} from "./document-line-scan.js";
import { malformedPayload, missingPayload } from "./payload-format.js";

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const NO_KEY = new Uint8Array(0);

/**
 * Splits an NDJSON payload's bytes into lines as its pieces arrive and routes each line.
 * A line that is a plain object (the usual case) is scanned, never parsed: its record is
 * its bytes as sent, behind the injected field. Any other line is decoded and parsed as
 * before, so that errors, their messages and edge cases keep their meaning.
 */
export class NdjsonLines {
  private readonly router: BatchRouter;
  private readonly facts: DocumentLineFacts = documentLineFacts();
  /** Decodes one line at a time; a byte-order mark past the payload's start is content. */
  private readonly decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  /** The bytes of the unfinished line, since the last line break. */
  private readonly partial: Buffer[] = [];
  private lineNumber = 0;
  private seen = false;
  /** The primary key whose UTF-8 name `keyBytes` holds. */
  private keyName: string | null = null;
  /** The primary key's name, or `null` when lines need parsing to find its value. */
  private keyBytes: Uint8Array | null = null;

  constructor(router: BatchRouter) {
    this.router = router;
  }

  push(chunk: Uint8Array): void {
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let end = bytes.indexOf(LINE_FEED);
    if (end === -1) {
      if (bytes.length > 0) this.partial.push(bytes);
      return;
    }
    let start = 0;
    if (this.partial.length > 0) {
      this.partial.push(bytes.subarray(0, end));
      this.finishPartial();
      start = end + 1;
      end = bytes.indexOf(LINE_FEED, start);
    }
    while (end !== -1) {
      this.line(bytes, start, end);
      start = end + 1;
      end = bytes.indexOf(LINE_FEED, start);
    }
    if (start < bytes.length) this.partial.push(bytes.subarray(start));
  }

  end(): void {
    if (this.partial.length > 0) this.finishPartial();
    if (!this.seen) throw missingPayload("ndjson");
  }

  private finishPartial(): void {
    const line = Buffer.concat(this.partial);
    this.partial.length = 0;
    this.line(line, 0, line.length);
  }

  /** Routes the line `bytes[start..end)`. */
  private line(bytes: Buffer, start: number, end: number): void {
    this.lineNumber += 1;
    if (this.lineNumber === 1 && startsWithByteOrderMark(bytes, start, end)) start += 3;
    const stop = end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
    const keyBytes = this.primaryKeyBytes();
    const facts = this.facts;
    const kind = scanDocumentLine(bytes, start, stop, keyBytes ?? NO_KEY, facts);
    if (kind === LineKind.blank) return;
    this.seen = true;
    if (kind === LineKind.object && this.router.rejection !== null) {
      this.router.countRejected();
      return;
    }
    if (
      kind === LineKind.object &&
      keyBytes !== null &&
      !facts.unusualAttribute &&
      facts.openingBrace === start
    ) {
      if (isStoredIdText(bytes, facts)) {
        // The id as Meilisearch stores it is these very bytes: hash them where they lie.
        const shard = this.router.shardOfIdText(bytes, facts.keyValueStart, facts.keyValueEnd);
        if (shard !== undefined) this.router.addOpened(shard, bytes, start + 1, stop);
        return;
      }
      const id = idOf(bytes, facts);
      if (id !== undefined) {
        const shard = this.router.shardOfId(id);
        if (shard !== undefined) this.router.addOpened(shard, bytes, start + 1, stop);
        return;
      }
    }
    this.parsedLine(this.decoder.decode(bytes.subarray(start, stop)));
  }

  /** A line that needs `JSON.parse`: an unusual document, or one that is not valid. */
  private parsedLine(line: string): void {
    let document: unknown;
    try {
      document = JSON.parse(line);
    } catch (error) {
      throw malformedPayload("ndjson", `${(error as Error).message} at line ${this.lineNumber}`);
    }
    if (typeof document !== "object" || document === null || Array.isArray(document)) {
      throw malformedPayload("ndjson", `expected a JSON object at line ${this.lineNumber}`);
    }
    const shard = this.router.shardOf(document as Record<string, unknown>);
    if (shard !== undefined) this.router.addDocumentText(shard, line);
  }

  /**
   * The UTF-8 name of the primary key when a scan can find its value: a top-level
   * attribute, not one inherited by every object (`JSON.parse` would answer those).
   */
  private primaryKeyBytes(): Uint8Array | null {
    const name = this.router.primaryKey;
    if (name !== this.keyName) {
      this.keyName = name;
      this.keyBytes =
        name === null || name.includes(".") || name in Object.prototype
          ? null
          : // A plain Uint8Array, like the scan's other patterns, so that it reads them alike.
            new TextEncoder().encode(name);
    }
    return this.keyBytes;
  }
}

/** Meilisearch's id alphabet, `[A-Za-z0-9_-]`, as a table of bytes. */
const ID_BYTE = new Uint8Array(256);
for (const range of ["AZ", "az", "09", "__", "--"]) {
  ID_BYTE.fill(1, range.charCodeAt(0), range.charCodeAt(1) + 1);
}

/** The most digits an integer can have and still be safe whatever they are. */
const SAFE_DIGITS = 15;

/**
 * Whether the primary-key value of a scanned line is written exactly as Meilisearch
 * stores the id: a string without escapes from Meilisearch's id alphabet (1 to 511
 * bytes), or an integer in plain decimal that is surely safe (at most 15 digits, not
 * `-0`). Its bytes are then the id's UTF-8 text.
 */
function isStoredIdText(bytes: Buffer, facts: DocumentLineFacts): boolean {
  const { keyValueStart: start, keyValueEnd: end } = facts;
  if (facts.keyValueKind === KeyValueKind.plainString) {
    if (end === start || end - start > MAX_DOCUMENT_ID_BYTES) return false;
    for (let i = start; i < end; i++) {
      if (ID_BYTE[bytes[i] as number] !== 1) return false;
    }
    return true;
  }
  if (facts.keyValueKind !== KeyValueKind.number) return false;
  // The scan vouched for a JSON number: no leading zero, so only `-0`, a fraction or an
  // exponent, and the length remain to check.
  const first = bytes[start] === MINUS ? start + 1 : start;
  if (end - first > SAFE_DIGITS || (bytes[first] === ZERO && first !== start)) return false;
  for (let i = first; i < end; i++) {
    const code = bytes[i] as number;
    if (code < ZERO || code > NINE) return false;
  }
  return true;
}

/**
 * The primary-key value of a scanned line that `isStoredIdText` did not take, when it is
 * a number (its value, which the id rule then judges); `undefined` for anything else,
 * left to `JSON.parse` and its exact rejection.
 */
function idOf(bytes: Buffer, facts: DocumentLineFacts): number | undefined {
  if (facts.keyValueKind !== KeyValueKind.number) return undefined;
  return Number(bytes.toString("latin1", facts.keyValueStart, facts.keyValueEnd));
}

function startsWithByteOrderMark(bytes: Buffer, start: number, end: number): boolean {
  return (
    end - start >= 3 &&
    bytes[start] === 0xef &&
    bytes[start + 1] === 0xbb &&
    bytes[start + 2] === 0xbf
  );
}
