import { meiliError } from "@miroir/errors";

/** The prefix of the fields Miroir adds to every document it stores (`_miroir_shard`). */
const RESERVED_PREFIX = "_miroir_";

/** One node's part of a write: per shard, its documents as NDJSON lines, Miroir's fields gone. */
export type ShardParts = ReadonlyMap<number, readonly string[]>;

/**
 * Splits the update file a node answered (`application/x-ndjson`) by the `_miroir_shard`
 * of each document. The node client hands over a body it could parse as one JSON value
 * (a one-document file) as that value, anything else as text.
 */
export function shardPartsOf(nodeId: string, body: unknown): ShardParts {
  const documents =
    body === null || body === undefined
      ? []
      : typeof body === "string"
        ? body
            .split("\n")
            .filter((line) => line.trim() !== "")
            .map((line) => parseLine(nodeId, line))
        : [body];
  const parts = new Map<number, string[]>();
  for (const document of documents) {
    if (typeof document !== "object" || document === null || Array.isArray(document)) {
      throw invalidAnswer(nodeId, "a line that is not a JSON object");
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
    .map((line) => `${line}\n`)
    .join("");
}

function withoutReservedFields(document: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(document)) {
    if (!field.startsWith(RESERVED_PREFIX)) kept[field] = value;
  }
  return kept;
}

function parseLine(nodeId: string, line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw invalidAnswer(nodeId, "a line that is not JSON");
  }
}

function invalidAnswer(nodeId: string, what: string) {
  return meiliError(
    "miroir_node_answer_invalid",
    `Node ${nodeId} answered a task's documents with ${what}.`,
  );
}
