import { meiliError } from "@miroir/errors";
import type { Document } from "../../engine/index.js";
import { parseJsonText } from "../request-body.js";
import { parseCsv } from "./csv.js";

export const DOCUMENT_CONTENT_TYPES = ["application/json", "application/x-ndjson", "text/csv"];

function notADocument(format: string, value: unknown, where: string) {
  return meiliError(
    "malformed_payload",
    `The \`${format}\` payload provided is malformed. \`Couldn't serialize document value: invalid type: ${JSON.stringify(value)}${where}, expected a map\`.`,
  );
}

function isDocument(value: unknown): value is Document {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJsonDocuments(text: string): Document[] {
  const value = parseJsonText(text, "`json`");
  const list = Array.isArray(value) ? value : [value];
  for (const doc of list) {
    if (!isDocument(doc)) throw notADocument("json", doc, "");
  }
  return list as Document[];
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
    if (!isDocument(value)) throw notADocument("ndjson", value, ` at line ${i + 1}`);
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
