import { type ErrorCode, jsonDepthProblem, meiliError, notASequence } from "@miroir/errors";
import type { Context } from "hono";

/** Meilisearch's default `--http-payload-size-limit`: 100 MiB. */
export const DEFAULT_PAYLOAD_LIMIT = 100 * 1024 * 1024;

export function payloadTooLarge(limit: number) {
  return meiliError(
    "payload_too_large",
    `The provided payload reached the size limit. The maximum accepted payload size is ${formatBytes(limit)}.`,
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

/** The raw body, refused with `payload_too_large` past `limit` bytes. */
export async function readBody(c: Context, limit: number): Promise<string> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > limit) throw payloadTooLarge(limit);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > limit) throw payloadTooLarge(limit);
  return new TextDecoder().decode(bytes);
}

/** The media type of the request without parameters, or undefined when absent. */
export function mediaType(c: Context): string | undefined {
  const header = c.req.header("content-type");
  if (header === undefined || header.trim() === "") return undefined;
  return header.split(";")[0]?.trim().toLowerCase();
}

export function checkContentType(c: Context, accepted: readonly string[]): string {
  const type = mediaType(c);
  const list = accepted.map((a) => `\`${a}\``).join(", ");
  if (type === undefined) {
    throw meiliError(
      "missing_content_type",
      `A Content-Type header is missing. Accepted values for the Content-Type header are: ${list}`,
    );
  }
  if (!accepted.includes(type)) {
    throw meiliError(
      "invalid_content_type",
      `The Content-Type \`${c.req.header("content-type")}\` is invalid. Accepted values for the Content-Type header are: ${list}`,
    );
  }
  return type;
}

/**
 * Parses a JSON body. Meilisearch names the format plainly for route bodies ("The json
 * payload…") and in backticks for document payloads ("The \`json\` payload…").
 */
export function parseJsonText(text: string, formatLabel = "json"): unknown {
  if (text.trim() === "") throw meiliError("missing_payload", "A json payload is missing.");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw meiliError(
      "malformed_payload",
      `The ${formatLabel} payload provided is malformed. \`${(error as Error).message}\`.`,
    );
  }
}

/** A JSON body of a non-document route (content type, size and syntax checked). */
export async function readJson(c: Context, limit: number, expect?: "sequence"): Promise<unknown> {
  checkContentType(c, ["application/json"]);
  const text = await readBody(c, limit);
  // Meilisearch refuses a body that must be an array at its first value, before the rest.
  const notArray = expect === "sequence" ? notASequence(text) : null;
  if (notArray !== null) throw meiliError("bad_request", notArray);
  const tooDeep = jsonDepthProblem(text);
  if (tooDeep !== null) {
    throw meiliError(
      "malformed_payload",
      `The json payload provided is malformed. \`${tooDeep}\`.`,
    );
  }
  return parseJsonText(text);
}

function jsonKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "number") {
    if (!Number.isInteger(value)) return "a number";
    return value < 0 ? "a negative integer" : "a positive integer";
  }
  if (typeof value === "boolean") return "a boolean";
  return "a string";
}

/** Meilisearch's wording for a value of the wrong JSON type (`.` or `""` is the body itself). */
export function invalidType(code: ErrorCode, path: string, expected: string, value: unknown) {
  const at = path === "." || path === "" ? "" : ` at \`${path}\``;
  return meiliError(
    code,
    `Invalid value type${at}: expected ${expected}, but found ${jsonKind(value)}: \`${JSON.stringify(value)}\``,
  );
}

/** The body as an object, or Meilisearch's type error. */
export function expectObject(
  value: unknown,
  code: ErrorCode = "bad_request",
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidType(code, ".", "an object", value);
  }
  return value as Record<string, unknown>;
}

/** Rejects the first field Meilisearch would not know, with its `bad_request` wording. */
export function checkKnownFields(
  body: Record<string, unknown>,
  known: readonly string[],
  code: ErrorCode = "bad_request",
  at = "",
): void {
  for (const field of Object.keys(body)) {
    if (!known.includes(field)) {
      const where = at === "" ? "" : ` inside \`${at}\``;
      throw meiliError(
        code,
        `Unknown field \`${field}\`${where}: expected one of ${known.map((k) => `\`${k}\``).join(", ")}`,
      );
    }
  }
}

export function missingField(code: ErrorCode, field: string) {
  return meiliError(code, `Missing field \`${field}\``);
}
