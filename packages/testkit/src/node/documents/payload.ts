import { meiliError } from "@miroir/errors";
import type { Document } from "../../engine/index.js";
import { parseJsonText } from "../request-body.js";
import { parseCsv } from "./csv.js";

export const DOCUMENT_CONTENT_TYPES = ["application/json", "application/x-ndjson", "text/csv"];

function notAnNdjsonDocument(value: unknown, line: number) {
  return meiliError(
    "malformed_payload",
    `The \`ndjson\` payload provided is malformed. \`Couldn't serialize document value: invalid type: ${JSON.stringify(value)} at line ${line}, expected a map\`.`,
  );
}

/** Where each element of the top-level JSON array of `text` starts and ends. */
function arrayElementSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    if (depth === 1 && start === -1 && !/[\s,\]]/.test(char)) start = i;
    if (char === "[" || char === "{") depth++;
    else if (char === "]" || char === "}") depth--;
    if (depth === 1 && start !== -1 && (char === "," || /\s/.test(char))) {
      spans.push({ start, end: i });
      start = -1;
    } else if (depth === 0 && start !== -1) {
      spans.push({ start, end: i });
      start = -1;
    }
  }
  return spans;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length} column ${(before[before.length - 1] as string).length + 1}`;
}

/** How serde names a JSON value that is not the map it expected. */
function unexpected(value: unknown, raw: string): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "sequence";
  if (typeof value === "boolean") return `boolean \`${value}\``;
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  const number = value as number;
  if (/^-?\d+$/.test(raw) && Number.isSafeInteger(number)) return `integer \`${raw}\``;
  if (Math.abs(number) >= 1e16) return `floating point \`${number.toExponential()}\``;
  return `floating point \`${Number.isInteger(number) ? `${number}.0` : number}\``;
}

/**
 * A JSON array with an element that is not an object: Meilisearch answers a
 * `malformed_payload` pointing after it when more elements follow, and an `internal` error
 * (500) when it is the last one — its reader re-reads that element on its own.
 */
function notADocument(text: string, list: unknown[], index: number) {
  const spans = arrayElementSpans(text);
  const next = spans[index + 1];
  if (next !== undefined) {
    return meiliError(
      "malformed_payload",
      `The \`json\` payload provided is malformed. \`Couldn't serialize document value: trailing characters at ${lineAndColumn(text, next.start)}\`.`,
    );
  }
  const span = spans[index] as { start: number; end: number };
  const raw = text.slice(span.start, span.end);
  const value = list[index];
  const column = Array.isArray(value) ? 0 : raw.length;
  return meiliError(
    "internal",
    `invalid type: ${unexpected(value, raw)}, expected a map at line 1 column ${column}`,
  );
}

function isDocument(value: unknown): value is Document {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJsonDocuments(text: string): Document[] {
  const value = parseJsonText(text, "`json`");
  if (!Array.isArray(value)) {
    if (isDocument(value)) return [value];
    throw meiliError(
      "malformed_payload",
      "The `json` payload provided is malformed. `Couldn't serialize document value: data are neither an object nor a list of objects`.",
    );
  }
  const bad = value.findIndex((doc) => !isDocument(doc));
  if (bad !== -1) throw notADocument(text, value, bad);
  return value as Document[];
}

function parseNdjson(text: string): Document[] {
  if (text.trim() === "") throw meiliError("missing_payload", "A ndjson payload is missing.");
  const docs: Document[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw meiliError(
        "malformed_payload",
        `The \`ndjson\` payload provided is malformed. \`${(error as Error).message} at line ${i + 1}\`.`,
      );
    }
    if (!isDocument(value)) throw notAnNdjsonDocument(value, i + 1);
    docs.push(value);
  });
  return docs;
}

/** Documents of a payload in one of the three formats Meilisearch accepts. */
export function parseDocumentPayload(
  mediaType: string,
  text: string,
  csvDelimiter: string | undefined,
): Document[] {
  if (mediaType === "application/x-ndjson") return parseNdjson(text);
  if (mediaType === "text/csv") {
    if (text.trim() === "") throw meiliError("missing_payload", "A csv payload is missing.");
    return parseCsv(text, csvDelimiter);
  }
  return parseJsonDocuments(text);
}

/** Validates the `csvDelimiter` query parameter: one ASCII character. */
export function checkCsvDelimiter(raw: string | undefined, mediaType: string): string | undefined {
  if (raw === undefined) return undefined;
  if (mediaType !== "text/csv") {
    throw meiliError(
      "invalid_document_csv_delimiter",
      "The Content-Type `" +
        mediaType +
        "` does not support the use of a csv delimiter. The csv delimiter can only be used with the Content-Type `text/csv`.",
    );
  }
  if (raw.length !== 1 || raw.charCodeAt(0) > 127) {
    throw meiliError(
      "invalid_document_csv_delimiter",
      `Invalid value in parameter \`csvDelimiter\`: expected a string of one character, but found the following string of ${raw.length} characters: \`${raw}\``,
    );
  }
  return raw;
}
