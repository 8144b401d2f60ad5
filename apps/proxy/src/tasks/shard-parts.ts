import { meiliError } from "@miroir/errors";

/** The prefix of the fields Miroir adds to every document it stores (`_miroir_shard`). */
const RESERVED_PREFIX = "_miroir_";

/** One node's part of a write: per shard, its documents as JSON texts, Miroir's fields gone. */
export type ShardParts = ReadonlyMap<number, readonly string[]>;

/**
 * Splits the update file a node answered by the `_miroir_shard` of each document. A node
 * answers its update file as JSON objects written one after the other, with no separator
 * (whitespace between them, as in NDJSON, is read too). The node client hands over a body
 * it could parse as one JSON value (a one-document file) as that value, anything else as
 * text.
 */
export function shardPartsOf(nodeId: string, body: unknown): ShardParts {
  const documents =
    body === null || body === undefined
      ? []
      : typeof body === "string"
        ? concatenatedValues(body).map((text) => parseValue(nodeId, text))
        : [body];
  const parts = new Map<number, string[]>();
  for (const document of documents) {
    if (typeof document !== "object" || document === null || Array.isArray(document)) {
      throw invalidAnswer(nodeId, "a value that is not a JSON object");
    }
    const shard = (document as Record<string, unknown>)._miroir_shard;
    if (typeof shard !== "number" || !Number.isInteger(shard) || shard < 0) {
      throw invalidAnswer(nodeId, "a document without its `_miroir_shard`");
    }
    const line = JSON.stringify(withoutReservedFields(document as Record<string, unknown>));
    const part = parts.get(shard);
    if (part === undefined) parts.set(shard, [line]);
    else part.push(line);
  }
  return parts;
}

/**
 * The whole payload from the parts of several nodes: replicas of a shard received the
 * same documents for it, so each shard's part is taken once, from the first node in
 * `parts` order that holds it. Shards ascending, each part in the order the node got it.
 * Written as a node writes an update file: JSON objects one after the other, no separator.
 */
export function wholePayload(parts: readonly ShardParts[]): string {
  const byShard = new Map<number, readonly string[]>();
  for (const nodeParts of parts) {
    for (const [shard, lines] of nodeParts) {
      if (!byShard.has(shard)) byShard.set(shard, lines);
    }
  }
  return [...byShard.keys()]
    .sort((a, b) => a - b)
    .flatMap((shard) => byShard.get(shard) ?? [])
    .join("");
}

function withoutReservedFields(document: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(document)) {
    if (!field.startsWith(RESERVED_PREFIX)) kept[field] = value;
  }
  return kept;
}

/**
 * The texts of the JSON values written one after the other in `text`: each object or array
 * ends where its brackets balance outside strings, a string at its closing quote; any
 * other value ends at whitespace, a bracket or a quote. Whitespace between values is
 * skipped.
 */
export function concatenatedValues(text: string): string[] {
  const values: string[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text.charCodeAt(at);
    if (isWhitespace(char)) {
      at++;
      continue;
    }
    const start = at;
    if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      let depth = 0;
      let inString = false;
      for (; at < text.length; at++) {
        const c = text.charCodeAt(at);
        if (inString) {
          if (c === BACKSLASH) at++;
          else if (c === QUOTE) inString = false;
        } else if (c === QUOTE) inString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
        else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          depth--;
          if (depth === 0) {
            at++;
            break;
          }
        }
      }
    } else if (char === QUOTE) {
      for (at++; at < text.length; at++) {
        const c = text.charCodeAt(at);
        if (c === BACKSLASH) at++;
        else if (c === QUOTE) {
          at++;
          break;
        }
      }
    } else {
      while (at < text.length && !endsScalar(text.charCodeAt(at))) at++;
    }
    values.push(text.slice(start, at));
  }
  return values;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function endsScalar(char: number): boolean {
  return isWhitespace(char) || char === OPEN_BRACE || char === OPEN_BRACKET || char === QUOTE;
}

function isWhitespace(char: number): boolean {
  return char === 0x20 || char === 0x0a || char === 0x0d || char === 0x09;
}

function parseValue(nodeId: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalidAnswer(nodeId, "a value that is not JSON");
  }
}

function invalidAnswer(nodeId: string, what: string) {
  return meiliError(
    "miroir_node_answer_invalid",
    `Node ${nodeId} answered a task's documents with ${what}.`,
  );
}
