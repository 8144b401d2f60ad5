import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import type { PayloadFormat } from "../write/payload-format.js";
import { type TarEntry, tarEntries } from "./tar-entries.js";

/**
 * Meilisearch dumps (`.dump`: a gzipped tar), versions 2 to 6, read as streams. The
 * archive's order is not the same in every version (an index's documents may come
 * before its settings, the index names at the very end), so a dump is read in passes:
 * `scanDump` reads everything but documents, then each documents file is streamed from a
 * fresh pass (`DumpPasses`). Nothing is ever held whole but the small metadata files.
 */

/** An API key as the dump stores it (a v4 key has no uid: it gets a new one). */
export interface DumpKey {
  readonly uid: string | null;
  readonly name: string | null;
  readonly description: string | null;
  readonly actions: readonly string[];
  readonly indexes: readonly string[];
  readonly expiresAt: string | null;
  /** What tells a uid-less (v4) key apart, so a resumed import gives it the same new uid. */
  readonly identity: string;
}

export interface DumpIndex {
  readonly uid: string;
  readonly primaryKey: string | null;
  /** Settings as `PATCH /indexes/{uid}/settings` takes them. */
  readonly settings: Record<string, unknown>;
}

/** A file of documents to write, in the order the import writes them. */
export interface DocumentSource {
  readonly indexUid: string;
  /** The file's path inside the archive. */
  readonly path: string;
  readonly format: PayloadFormat;
  /** POST replaces documents, PUT updates them. */
  readonly method: "POST" | "PUT";
  readonly primaryKey: string | null;
  /** `true` for a document addition still enqueued when the dump was made. */
  readonly pending: boolean;
  /** Its number of lines (documents) for NDJSON, null for other formats. */
  readonly lines: number | null;
}

/** A webhook of the dump (v6 written by Meilisearch 1.17 or later). */
export interface DumpWebhook {
  readonly uuid: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface DumpPlan {
  readonly version: number;
  readonly dbVersion: string | null;
  readonly keys: readonly DumpKey[];
  readonly webhooks: readonly DumpWebhook[];
  /** The instance's experimental feature switches (v6), or null when the dump has none. */
  readonly experimentalFeatures: Readonly<Record<string, boolean>> | null;
  readonly indexes: readonly DumpIndex[];
  /** Every index's documents in archive order, then the pending additions in task order. */
  readonly sources: readonly DocumentSource[];
}

export class InvalidDumpError extends Error {}

/** Metadata files larger than this are refused: a dump's small files are small. */
const SMALL_FILE_LIMIT = 64 * 1024 * 1024;

/** The entries of the dump file, decompressed on the fly. */
export function dumpEntries(file: string, onBytes?: (n: number) => void): AsyncGenerator<TarEntry> {
  const input = createReadStream(file, { highWaterMark: 256 * 1024 });
  if (onBytes !== undefined) input.on("data", (chunk) => onBytes(chunk.length));
  const gunzip = createGunzip();
  input.on("error", (error) => gunzip.destroy(error));
  const entries = tarEntries(input.pipe(gunzip));
  const close = () => {
    input.destroy();
    gunzip.destroy();
  };
  return (async function* () {
    try {
      yield* entries;
    } catch (error) {
      if (error instanceof Error && /incorrect header|unexpected end|tar/i.test(error.message)) {
        throw new InvalidDumpError(`The dump cannot be read: ${error.message}.`);
      }
      throw error;
    } finally {
      close();
    }
  })();
}

async function wholeText(entry: TarEntry): Promise<string> {
  if (entry.size > SMALL_FILE_LIMIT) {
    throw new InvalidDumpError(`The dump's \`${entry.path}\` is too large (${entry.size} bytes).`);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of entry.body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/** The lines of an entry as they stream, each one decoded once it is complete. */
export async function* entryLines(body: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of body) {
    let data = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
    let start = 0;
    for (let at = data.indexOf(10, start); at !== -1; at = data.indexOf(10, start)) {
      const line = data.subarray(start, at).toString("utf8").trim();
      if (line !== "") yield line;
      start = at + 1;
    }
    data = data.subarray(start);
    rest = Buffer.from(data);
  }
  const last = rest.toString("utf8").trim();
  if (last !== "") yield last;
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidDumpError(`The dump's \`${path}\` is not valid JSON.`);
  }
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
const stringOr = (value: unknown): string | null => (typeof value === "string" ? value : null);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/** `asc(field)` and `desc(field)` (dumps v2, v3) are `field:asc` and `field:desc` since. */
function modernRankingRule(rule: string): string {
  const legacy = /^(asc|desc)\((.+)\)$/.exec(rule);
  return legacy === null ? rule : `${legacy[2]}:${legacy[1]}`;
}

/** Settings of a v2 to v5 `meta.json`, in today's shape. */
function legacySettings(raw: Json): Json {
  const settings: Json = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    settings[name] = name === "rankingRules" ? strings(value).map(modernRankingRule) : value;
  }
  return settings;
}

function keyOf(raw: Json): DumpKey {
  return {
    uid: stringOr(raw.uid),
    name: stringOr(raw.name),
    description: stringOr(raw.description),
    actions: strings(raw.actions),
    indexes: strings(raw.indexes),
    expiresAt: stringOr(raw.expires_at ?? raw.expiresAt),
    identity: JSON.stringify([raw.id, raw.created_at ?? raw.createdAt, raw.description]),
  };
}

interface PendingCandidate {
  readonly order: number;
  /** The index, by uid or (v2, v3) by uuid. */
  readonly index: { uid: string } | { uuid: string };
  readonly content: string;
  readonly method: "POST" | "PUT";
  readonly primaryKey: string | null;
  readonly format: PayloadFormat;
}

const methodOf = (strategy: unknown): "POST" | "PUT" =>
  strategy === "UpdateDocuments" ? "PUT" : "POST";

function formatOf(format: unknown): PayloadFormat {
  if (format === "Csv") return "csv";
  if (format === "Json") return "json";
  return "ndjson";
}

/** A document addition still waiting in an update or task queue line, if the line is one. */
function pendingOf(line: Json, version: number, position: number): PendingCandidate | null {
  if (version <= 3) {
    const update = asObject(line.update);
    if (update.status !== "enqueued" || typeof line.uuid !== "string") return null;
    const meta = asObject(update.meta);
    const order = Date.parse(String(update.enqueuedAt ?? "")) || position;
    if (version === 2) {
      if (meta.type !== "DocumentsAddition" || typeof update.content !== "string") return null;
      return {
        order,
        index: { uuid: line.uuid },
        content: update.content,
        method: methodOf(meta.method),
        primaryKey: stringOr(meta.primary_key),
        format: formatOf(meta.format),
      };
    }
    const addition = asObject(meta.DocumentAddition);
    if (typeof addition.content_uuid !== "string") return null;
    return {
      order,
      index: { uuid: line.uuid },
      content: addition.content_uuid,
      method: methodOf(addition.method),
      primaryKey: stringOr(addition.primary_key),
      format: "ndjson",
    };
  }
  if (version <= 5) {
    const addition = asObject(asObject(line.content).DocumentAddition);
    const events = Array.isArray(line.events) ? line.events : [];
    const finished = events.some((event) => {
      const name = Object.keys(asObject(event))[0] ?? "";
      return ["Succeded", "Succeeded", "Failed", "Canceled"].includes(name);
    });
    const uid = stringOr(line.index_uid) ?? stringOr(addition.index_uid);
    if (finished || typeof addition.content_uuid !== "string" || uid === null) return null;
    return {
      order: typeof line.id === "number" ? line.id : position,
      index: { uid },
      content: addition.content_uuid,
      method: methodOf(addition.merge_strategy),
      primaryKey: stringOr(addition.primary_key),
      format: "ndjson",
    };
  }
  const kind = asObject(asObject(line.type).documentImport);
  if (line.status !== "enqueued" || typeof line.uid !== "number") return null;
  if (typeof line.indexUid !== "string" || Object.keys(kind).length === 0) return null;
  return {
    order: line.uid,
    index: { uid: line.indexUid },
    content: String(line.uid),
    method: methodOf(kind.method),
    primaryKey: stringOr(kind.primary_key),
    format: "ndjson",
  };
}

/** The update file of a pending addition, by its content id, if the path is one. */
function updateFileContent(path: string): string | null {
  const match =
    /^updates\/update_files\/update_([^/]+)$/.exec(path) ??
    /^updates\/updates_files\/([^/]+)$/.exec(path) ??
    /^tasks\/update_files\/([^/]+?)(?:\.jsonl)?$/.exec(path);
  return match?.[1] ?? null;
}

function webhookOf(uuid: string, raw: Json): DumpWebhook {
  if (typeof raw.url !== "string") {
    throw new InvalidDumpError(`The dump's webhook \`${uuid}\` has no \`url\`.`);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(asObject(raw.headers))) {
    if (typeof value === "string") headers[name] = value;
  }
  return { uuid, url: raw.url, headers };
}

/** Lines of an entry, counted without decoding them (a last line without a line break counts). */
async function countLines(body: AsyncIterable<Buffer>): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of body) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    if (chunk.length > 0) last = chunk[chunk.length - 1] ?? 10;
  }
  return last === 10 ? lines : lines + 1;
}

/** Reads everything of a dump but its documents: version, keys, indexes and their settings. */
export async function scanDump(file: string): Promise<DumpPlan> {
  let version: number | null = null;
  let dbVersion: string | null = null;
  const keys: DumpKey[] = [];
  const webhooks: DumpWebhook[] = [];
  let experimentalFeatures: Record<string, boolean> | null = null;
  const uuidToUid = new Map<string, string>();
  const metas = new Map<string, { uid?: string; primaryKey?: string | null; settings?: Json }>();
  const documentDirs: { dir: string; path: string; lines: number }[] = [];
  const queueLines: Json[] = [];
  const updateFiles = new Map<string, { path: string; lines: number }>();
  const meta = (dir: string) => {
    let found = metas.get(dir);
    if (found === undefined) {
      found = {};
      metas.set(dir, found);
    }
    return found;
  };

  for await (const entry of dumpEntries(file)) {
    const base = entry.path.split("/").pop() ?? "";
    if (entry.type !== "file" || base.startsWith("._")) continue;
    const path = entry.path;
    const indexFile = /^indexes\/([^/]+)\/([^/]+)$/.exec(path);
    if (path === "metadata.json") {
      const metadata = asObject(parseJson(await wholeText(entry), path));
      const match = /^V(\d+)$/i.exec(String(metadata.dumpVersion ?? ""));
      if (match === null)
        throw new InvalidDumpError("The dump's `metadata.json` names no version.");
      version = Number(match[1]);
      dbVersion = stringOr(metadata.dbVersion);
    } else if (path === "keys" || path === "keys.jsonl") {
      for await (const line of entryLines(entry.body))
        keys.push(keyOf(asObject(parseJson(line, path))));
    } else if (path === "webhooks.json") {
      const listed = asObject(asObject(parseJson(await wholeText(entry), path)).webhooks);
      for (const [uuid, raw] of Object.entries(listed))
        webhooks.push(webhookOf(uuid, asObject(raw)));
    } else if (path === "experimental-features.json") {
      const raw = asObject(parseJson(await wholeText(entry), path));
      experimentalFeatures = Object.fromEntries(
        Object.entries(raw).filter(
          (entry): entry is [string, boolean] => typeof entry[1] === "boolean",
        ),
      );
    } else if (path === "index_uuids/data.jsonl") {
      for await (const line of entryLines(entry.body)) {
        const row = asObject(parseJson(line, path));
        const uuid = stringOr(row.uuid) ?? stringOr(asObject(row.index_meta).uuid);
        if (uuid !== null && typeof row.uid === "string") uuidToUid.set(uuid, row.uid);
      }
    } else if (path === "updates/data.jsonl" || path === "tasks/queue.jsonl") {
      // Finished tasks (the history) are not imported; only enqueued additions are kept.
      for await (const line of entryLines(entry.body)) {
        if (!line.includes("nqueued") && !line.includes("DocumentAddition")) continue;
        queueLines.push(asObject(parseJson(line, path)));
      }
    } else if (indexFile !== null) {
      const [, dir = "", name] = indexFile;
      if (name === "documents.jsonl") {
        documentDirs.push({ dir, path, lines: await countLines(entry.body) });
      } else if (name === "meta.json") {
        const raw = asObject(parseJson(await wholeText(entry), path));
        meta(dir).settings = legacySettings(asObject(raw.settings));
        meta(dir).primaryKey = stringOr(raw.primary_key);
      } else if (name === "metadata.json") {
        const raw = asObject(parseJson(await wholeText(entry), path));
        if (typeof raw.uid === "string") meta(dir).uid = raw.uid;
        meta(dir).primaryKey = stringOr(raw.primaryKey);
      } else if (name === "settings.json") {
        meta(dir).settings = asObject(parseJson(await wholeText(entry), path));
      }
    } else {
      const content = updateFileContent(path);
      if (content !== null) updateFiles.set(content, { path, lines: await countLines(entry.body) });
    }
  }
  if (version === null) throw new InvalidDumpError("The dump has no `metadata.json`.");
  if (version < 2 || version > 6) {
    throw new InvalidDumpError(`Dump version ${version} cannot be imported (versions 2 to 6 can).`);
  }
  const uidOfDir = (dir: string): string => {
    const known = metas.get(dir)?.uid;
    if (known !== undefined) return known;
    const uuid = dir.replace(/^index-/, "");
    return uuidToUid.get(uuid) ?? dir;
  };
  const indexes: DumpIndex[] = [...metas.entries()].map(([dir, found]) => ({
    uid: uidOfDir(dir),
    primaryKey: found.primaryKey ?? null,
    settings: found.settings ?? {},
  }));
  const sources: DocumentSource[] = documentDirs.map(({ dir, path, lines }) => ({
    indexUid: uidOfDir(dir),
    path,
    format: "ndjson",
    method: "POST",
    primaryKey: metas.get(dir)?.primaryKey ?? null,
    pending: false,
    lines,
  }));
  const candidates = queueLines
    .map((line, position) => pendingOf(line, version as number, position))
    .filter((candidate): candidate is PendingCandidate => candidate !== null)
    .sort((a, b) => a.order - b.order);
  for (const candidate of candidates) {
    const file = updateFiles.get(candidate.content);
    if (file === undefined) continue;
    const indexUid =
      "uid" in candidate.index ? candidate.index.uid : uuidToUid.get(candidate.index.uuid);
    if (indexUid === undefined) continue;
    sources.push({
      indexUid,
      path: file.path,
      format: candidate.format,
      method: candidate.method,
      primaryKey: candidate.primaryKey,
      pending: true,
      lines: candidate.format === "ndjson" ? file.lines : null,
    });
  }
  return { version, dbVersion, keys, webhooks, experimentalFeatures, indexes, sources };
}

/**
 * Successive reads of one dump's files: a file after the previous one is found by reading
 * on; one before it by a new pass from the start.
 */
export class DumpPasses {
  private entries: AsyncGenerator<TarEntry> | null = null;

  constructor(
    private readonly file: string,
    private readonly onBytes?: (n: number) => void,
  ) {}

  /** The entry at `path` (its body unread), or null when the dump has none. */
  async find(path: string): Promise<TarEntry | null> {
    for (let pass = 0; pass < 2; pass++) {
      if (this.entries === null) this.entries = dumpEntries(this.file, this.onBytes);
      for (;;) {
        const next = await this.entries.next();
        if (next.done === true) break;
        if (next.value.path === path && next.value.type === "file") return next.value;
      }
      await this.close();
    }
    return null;
  }

  async close(): Promise<void> {
    const entries = this.entries;
    this.entries = null;
    await entries?.return(undefined);
  }
}
