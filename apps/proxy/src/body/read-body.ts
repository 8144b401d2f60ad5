import { IncomingMessage } from "node:http";
import { jsonDepthProblem, meiliError, notASequence } from "@miroir/errors";
import type { Context } from "hono";
import { jsonText } from "./json-text.js";

/**
 * Reads the raw request body, failing with `payload_too_large` as soon as it grows past
 * the limit (whether or not the client sent a Content-Length).
 */
export async function readBodyBytes(c: Context, limitBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of readBodyChunks(c, limitBytes)) {
    size += chunk.byteLength;
    chunks.push(chunk);
  }
  if (chunks.length === 0) return new Uint8Array(0);
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks, size);
}

/**
 * The raw request body, chunk by chunk as it streams in (nothing is held here), failing
 * with `payload_too_large` as soon as it grows past the limit.
 */
export async function* readBodyChunks(c: Context, limitBytes: number): AsyncGenerator<Uint8Array> {
  const declared = Number(c.req.header("content-length") ?? Number.NaN);
  if (declared > limitBytes) throw payloadTooLarge(limitBytes);
  const stream = untouchedIncoming(c) ?? c.req.raw.body;
  if (stream === null) return;
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size > limitBytes) throw payloadTooLarge(limitBytes);
    yield chunk;
  }
}

/**
 * The Node request itself when nothing has read or replaced the request Hono was handed
 * (`@hono/node-server`'s lightweight request, whose web stream is made only when asked
 * for): its bytes are read straight from the socket, without a `Request` and a
 * `ReadableStream` per request. Stopping early leaves the rest of the body unread, as
 * leaving the web stream does (the server drains it once the answer is sent). Undefined
 * when a middleware replaced the request (its body is then that request's) or when the
 * app is not served by `@hono/node-server` (tests calling `app.request`).
 */
function untouchedIncoming(c: Context): AsyncIterable<Uint8Array> | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  if (!(incoming instanceof IncomingMessage)) return undefined;
  const raw = c.req.raw as unknown as Record<symbol, unknown>;
  let lightweight = false;
  for (const key of Object.getOwnPropertySymbols(raw)) {
    const name = key.description;
    // The web request was made already: its stream owns the body.
    if (name === "requestCache") return undefined;
    if (name === "incomingKey" && raw[key] === incoming) lightweight = true;
  }
  return lightweight ? incoming.iterator({ destroyOnReturn: false }) : undefined;
}

export function payloadTooLarge(limitBytes: number) {
  return meiliError(
    "payload_too_large",
    `The provided payload reached the size limit. The maximum accepted payload size is ${formatSize(limitBytes)}.`,
  );
}

function formatSize(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1 && value % 1024 === 0) {
    value /= 1024;
    unit += 1;
  }
  return `${value} ${units[unit]}`;
}

/**
 * A JSON body as Meilisearch reads one on its non-document routes: `application/json`
 * only, `missing_payload` when empty, `malformed_payload` when it does not parse or nests
 * deeper than Meilisearch reads (`MAX_JSON_DEPTH`). A body that must be an array is refused
 * as a node refuses it (`notASequence`).
 */
export async function readJsonBody(
  c: Context,
  limitBytes: number,
  expect: "any" | "sequence" = "any",
): Promise<unknown> {
  checkJsonContentType(c.req.header("content-type"));
  return parseJsonBody(await readBodyBytes(c, limitBytes), expect);
}

/** `readJsonBody`'s check of the Content-Type header, made before the body is read. */
export function checkJsonContentType(contentType: string | undefined): void {
  if (contentType === undefined || contentType.trim() === "") {
    throw meiliError(
      "missing_content_type",
      "A Content-Type header is missing. Accepted values for the Content-Type header are: `application/json`",
    );
  }
  if (mediaTypeOf(contentType) !== "application/json") {
    throw meiliError(
      "invalid_content_type",
      `The Content-Type \`${contentType}\` is invalid. Accepted values for the Content-Type header are: \`application/json\``,
    );
  }
}

/** `readJsonBody`'s reading of the body's bytes (of a JSON Content-Type), once read. */
export function parseJsonBody(bytes: Uint8Array, expect: "any" | "sequence" = "any"): unknown {
  if (bytes.byteLength === 0) throw meiliError("missing_payload", "A json payload is missing.");
  const decoded = jsonText(bytes);
  if ("problem" in decoded) {
    throw meiliError(
      "malformed_payload",
      `The json payload provided is malformed. \`${decoded.problem}\`.`,
    );
  }
  return parseJsonText(decoded.text, expect);
}

/** `parseJsonBody` on the body's text, once decoded. */
export function parseJsonText(text: string, expect: "any" | "sequence" = "any"): unknown {
  const refused = expect === "sequence" ? notASequence(text) : null;
  if (refused !== null) throw meiliError("bad_request", refused);
  const tooDeep = jsonDepthProblem(text);
  if (tooDeep !== null) {
    throw meiliError(
      "malformed_payload",
      `The json payload provided is malformed. \`${tooDeep}\`.`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw meiliError(
      "malformed_payload",
      `The json payload provided is malformed. \`${(error as Error).message}\`.`,
    );
  }
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaTypeOf(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}
