import { createHash, randomUUID } from "node:crypto";
import { rm, stat } from "node:fs/promises";
import { meiliError } from "@miroir/errors";
import type { JobRecord, MiroirTaskRecord } from "@miroir/taskstore";
import { readFeatures, switchFeatures } from "../broadcast/experimental-features.js";
import { createIndex } from "../broadcast/index-lifecycle.js";
import { patchSettings } from "../broadcast/settings-update.js";
import type { ProxyContext } from "../context.js";
import { createKey } from "../keys/key-changes.js";
import { readClusterKeys } from "../keys/key-nodes.js";
import { isSuccess } from "../node-client/index.js";
import { isFinished } from "../tasks/aggregate-status.js";
import { webhookChanges } from "../webhooks/webhook-changes.js";
import { writeDocuments } from "../write/document-write.js";
import {
  type DocumentSource,
  type DumpKey,
  DumpPasses,
  type DumpPlan,
  entryLines,
  InvalidDumpError,
  scanDump,
} from "./dump-reader.js";

/**
 * Importing a Meilisearch dump into the cluster through Miroir's own write paths: keys
 * (same uid, so the same value under the same master key), then each index with its
 * primary key and settings (broadcast), then every document routed to its shard in
 * bounded batches (the document write path, with its validation). The import is a job in
 * the task store; its progress is the checkpoint (the file being imported and how many of
 * its documents were acknowledged), so an import cut short resumes where it stood: the
 * batch in flight is sent again, which is harmless, documents being upserts by primary key.
 * Tasks history is not imported; additions still enqueued in the dump are.
 */

export const DUMP_IMPORT_JOB = "dump-import";
/** A running import renews its claim this often at least; a dead one is resumable after the TTL. */
export const IMPORT_CLAIM_TTL_MS = 10_000;
const TASK_WAIT_MS = 10 * 60_000;

export interface ImportCheckpoint {
  /** Index in the plan's `sources` of the file being imported. */
  readonly source: number;
  /** Its documents already acknowledged. */
  readonly offset: number;
}

export type ImportStatus = "processing" | "succeeded" | "failed" | "interrupted";

export interface ImportProgress {
  readonly id: string;
  readonly status: ImportStatus;
  readonly phase: "reading" | "keys" | "indexes" | "documents" | "finishing" | "done";
  readonly dumpVersion: number | null;
  readonly fileBytes: number;
  readonly keys: number;
  readonly indexes: number;
  /** Documents acknowledged by the cluster, over every run of the import. */
  readonly documents: number;
  readonly totalDocuments: number | null;
  /** Bytes of those documents (uncompressed). */
  readonly documentBytes: number;
  /** Rates of the current run. */
  readonly documentsPerSecond: number;
  readonly bytesPerSecond: number;
  readonly checkpoint: ImportCheckpoint;
  /** Miroir tasks of batches that failed validation (their documents were refused). */
  readonly failedTasks: readonly number[];
  readonly runs: number;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
}

const jobType = (id: string) => `${DUMP_IMPORT_JOB}:${id}`;
const now = () => new Date().toISOString();

/** An import's progress before its first batch. */
function startingProgress(id: string, startedAt: string, updatedAt: string): ImportProgress {
  return {
    id,
    status: "processing",
    phase: "reading",
    dumpVersion: null,
    fileBytes: 0,
    keys: 0,
    indexes: 0,
    documents: 0,
    totalDocuments: null,
    documentBytes: 0,
    documentsPerSecond: 0,
    bytesPerSecond: 0,
    checkpoint: { source: 0, offset: 0 },
    failedTasks: [],
    runs: 1,
    startedAt,
    updatedAt,
    finishedAt: null,
    error: null,
  };
}

/** The import's answer: its progress, `interrupted` when its process stopped before the end. */
export function importView(job: JobRecord): ImportProgress {
  const progress = job.progress as ImportProgress | null;
  const base =
    progress ??
    startingProgress(
      job.id,
      new Date(job.enqueuedAt).toISOString(),
      new Date(job.updatedAt).toISOString(),
    );
  const orphaned =
    job.state !== "completed" &&
    base.status === "processing" &&
    (job.claimExpiresAt === null || job.claimExpiresAt < Date.now());
  return orphaned ? { ...base, status: "interrupted" } : base;
}

export function importNotFound(id: string) {
  return meiliError("miroir_dump_import_not_found", `Dump import \`${id}\` not found.`);
}

export interface StartedImport {
  readonly progress: ImportProgress;
  /** Settles when the import ends (successfully or not); never rejects. */
  readonly done: Promise<ImportProgress>;
}

/**
 * Starts importing the dump in `file` (which the import deletes when it ends), or resumes
 * import `resumeId` from its checkpoint. Answers once the job is claimed; the import runs on.
 */
export async function startImport(
  ctx: ProxyContext,
  file: string,
  resumeId: string | null,
): Promise<StartedImport> {
  const jobs = ctx.taskStore.jobs;
  const holder = ctx.coordination.identity.id;
  let previous: ImportProgress | null = null;
  let id: string;
  try {
    if (resumeId !== null) {
      const job = await jobs.get(resumeId);
      if (job === null || !job.type.startsWith(DUMP_IMPORT_JOB)) throw importNotFound(resumeId);
      const view = importView(job);
      if (job.state === "completed") {
        await rm(file, { force: true });
        return { progress: view, done: Promise.resolve(view) };
      }
      if (view.status === "processing") {
        throw meiliError(
          "miroir_illegal_transition",
          `Dump import \`${resumeId}\` is running; it can be resumed once it stops.`,
        );
      }
      await jobs.reclaimExpired();
      previous = view;
      id = resumeId;
    } else {
      id = randomUUID();
      await jobs.enqueue({ type: jobType(id), id, params: { id } });
    }
    const claimed = await jobs.claim(holder, IMPORT_CLAIM_TTL_MS, { types: [jobType(id)] });
    if (claimed === null) {
      throw meiliError(
        "miroir_illegal_transition",
        `Dump import \`${id}\` could not be claimed: another process resumed it.`,
      );
    }
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  const run = new ImportRun(ctx, id, file, holder, previous);
  await run.record();
  const done = run.execute().finally(() => rm(file, { force: true }));
  return { progress: run.progress, done };
}

class ImportRun {
  progress: ImportProgress;
  private readonly started = performance.now();
  private runDocuments = 0;
  private runBytes = 0;
  private lost = false;
  private readonly outstanding: number[] = [];

  constructor(
    private readonly ctx: ProxyContext,
    private readonly id: string,
    private readonly file: string,
    private readonly holder: string,
    previous: ImportProgress | null,
  ) {
    const at = now();
    this.progress =
      previous === null
        ? startingProgress(id, at, at)
        : {
            ...previous,
            status: "processing",
            phase: "reading",
            runs: previous.runs + 1,
            updatedAt: at,
            error: null,
          };
  }

  private update(change: Partial<ImportProgress>): void {
    const seconds = Math.max((performance.now() - this.started) / 1000, 0.001);
    this.progress = {
      ...this.progress,
      ...change,
      documentsPerSecond: Math.round(this.runDocuments / seconds),
      bytesPerSecond: Math.round(this.runBytes / seconds),
      updatedAt: now(),
    };
  }

  /** Persists the progress (the checkpoint) and renews the claim. */
  async record(ttlMs = IMPORT_CLAIM_TTL_MS): Promise<void> {
    const live = await this.ctx.taskStore.jobs.heartbeat(
      this.id,
      this.holder,
      ttlMs,
      this.progress,
    );
    if (!live) this.lost = true;
  }

  async execute(): Promise<ImportProgress> {
    const renewal = setInterval(() => {
      void this.record().catch(() => undefined);
    }, IMPORT_CLAIM_TTL_MS / 3);
    try {
      const size = (await stat(this.file)).size;
      this.update({ fileBytes: size });
      const plan = await scanDump(this.file);
      const totalDocuments = plan.sources.every((source) => source.lines !== null)
        ? plan.sources.reduce((sum, source) => sum + (source.lines ?? 0), 0)
        : null;
      this.update({ dumpVersion: plan.version, totalDocuments, phase: "keys" });
      await this.record();
      await this.importKeys(plan.keys);
      await this.importInstance(plan);
      this.update({ phase: "indexes" });
      await this.importIndexes(plan);
      this.update({ phase: "documents" });
      await this.record();
      await this.importDocuments(plan.sources);
      this.update({ phase: "finishing" });
      while (this.outstanding.length > 0) await this.waitOldest();
      this.update({ status: "succeeded", phase: "done", finishedAt: now() });
      clearInterval(renewal);
      await this.ctx.taskStore.jobs.complete(this.id, this.holder, this.progress);
      this.ctx.logger.info({ import: this.progress }, "dump import finished");
    } catch (error) {
      clearInterval(renewal);
      const message = error instanceof Error ? error.message : String(error);
      this.update({ status: "failed", error: message });
      this.ctx.logger.warn({ err: error, importId: this.id }, "dump import failed");
      // The claim ends now, so the import can be resumed at once.
      await this.record(1).catch(() => undefined);
    }
    return this.progress;
  }

  private checkLost(): void {
    if (this.lost) throw new Error("the import's claim was lost (another process resumed it)");
  }

  private async importKeys(keys: readonly DumpKey[]): Promise<void> {
    const existing = new Set((await readClusterKeys(this.ctx)).map((key) => key.uid));
    let imported = 0;
    for (const key of keys) {
      const uid = key.uid ?? derivedUid(key.identity);
      if (!existing.has(uid)) {
        const answer = await createKey(this.ctx, {
          uid,
          name: key.name,
          description: key.description,
          actions: key.actions,
          indexes: key.indexes,
          expiresAt: key.expiresAt,
        });
        if (!isSuccess(answer)) {
          throw new Error(`key ${uid} could not be created: ${JSON.stringify(answer.body)}`);
        }
      }
      imported++;
      this.update({ keys: imported });
    }
  }

  /**
   * The dump's experimental feature switches (those the nodes know, switched on every node
   * as `PATCH /experimental-features` does) and its webhooks, under their uuids.
   */
  private async importInstance(plan: DumpPlan): Promise<void> {
    this.checkLost();
    if (plan.experimentalFeatures !== null) {
      const known = await readFeatures(this.ctx);
      const patch = Object.fromEntries(
        Object.entries(plan.experimentalFeatures).filter(([name]) => name in known.features),
      );
      if (Object.keys(patch).length > 0) await switchFeatures(this.ctx, patch);
    }
    const webhooks = webhookChanges(this.ctx.taskStore);
    for (const webhook of plan.webhooks) {
      await webhooks.create({ url: webhook.url, headers: webhook.headers }, webhook.uuid);
    }
  }

  private async importIndexes(plan: DumpPlan): Promise<void> {
    let imported = 0;
    for (const index of plan.indexes) {
      this.checkLost();
      const state = await this.ctx.indexes.describe(index.uid);
      if (!state.exists) {
        await this.settled(await createIndex(this.ctx, index.uid, index.primaryKey), "index");
      }
      if (Object.keys(index.settings).length > 0) {
        await this.settled(await patchSettings(this.ctx, index.uid, index.settings), "settings");
      }
      imported++;
      this.update({ indexes: imported });
      await this.record();
    }
  }

  /** Waits for a broadcast task; a failed one fails the import with the nodes' reason. */
  private async settled(task: MiroirTaskRecord, what: string): Promise<void> {
    const done = await this.finished(task.uid);
    if (done.status !== "succeeded") {
      const reason = (done.error as { message?: string } | null)?.message ?? done.status;
      throw new Error(`${what} of index \`${task.indexUid}\` failed: ${reason}`);
    }
  }

  private async finished(uid: number): Promise<MiroirTaskRecord> {
    const deadline = Date.now() + TASK_WAIT_MS;
    for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
      const record = await this.ctx.taskStore.tasks.get(uid);
      if (record === null) throw new Error(`Miroir task ${uid} disappeared`);
      const current = isFinished(record.status)
        ? record
        : await this.ctx.taskRefresh.current(record);
      if (isFinished(current.status)) return current;
      if (Date.now() > deadline) throw new Error(`Miroir task ${uid} did not finish`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private async waitOldest(): Promise<void> {
    const uid = this.outstanding.shift();
    if (uid === undefined) return;
    const task = await this.finished(uid);
    if (task.status === "failed") {
      this.update({ failedTasks: [...this.progress.failedTasks, uid] });
    }
  }

  private async importDocuments(sources: readonly DocumentSource[]): Promise<void> {
    const passes = new DumpPasses(this.file);
    const { batch_size: batchSize, memory_buffer_bytes: bufferBytes } = this.ctx.config.dump_import;
    // At most this many batches wait in node queues: the import goes at the cluster's pace.
    const window = Math.max(1, this.ctx.config.dump_import.parallel_target_writes);
    try {
      for (let index = this.progress.checkpoint.source; index < sources.length; index++) {
        const source = sources[index] as DocumentSource;
        const entry = await passes.find(source.path);
        if (entry === null) throw new InvalidDumpError(`The dump lost \`${source.path}\`.`);
        const skip =
          this.progress.checkpoint.source === index ? this.progress.checkpoint.offset : 0;
        if (source.format !== "ndjson") {
          if (skip === 0) await this.send(source, entry.body, null, entry.size);
        } else {
          let offset = 0;
          let batch: string[] = [];
          let bytes = 0;
          for await (const line of entryLines(entry.body)) {
            offset++;
            if (offset <= skip) continue;
            batch.push(line);
            bytes += Buffer.byteLength(line) + 1;
            if (batch.length >= batchSize || bytes >= bufferBytes / window) {
              await this.sendLines(source, batch, bytes, index, offset, window);
              batch = [];
              bytes = 0;
            }
          }
          if (batch.length > 0) await this.sendLines(source, batch, bytes, index, offset, window);
        }
        this.update({ checkpoint: { source: index + 1, offset: 0 } });
        await this.record();
      }
    } finally {
      await passes.close();
    }
  }

  private async sendLines(
    source: DocumentSource,
    lines: readonly string[],
    bytes: number,
    index: number,
    offset: number,
    window: number,
  ): Promise<void> {
    while (this.outstanding.length >= window) await this.waitOldest();
    const body = Buffer.from(`${lines.join("\n")}\n`);
    await this.send(source, [body], lines.length, bytes);
    this.update({ checkpoint: { source: index, offset } });
    await this.record();
  }

  private async send(
    source: DocumentSource,
    body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    documents: number | null,
    bytes: number,
  ): Promise<void> {
    this.checkLost();
    const outcome = await writeDocuments(this.ctx, {
      indexUid: source.indexUid,
      method: source.method,
      body: toAsync(body),
      format: source.format,
      primaryKey: source.primaryKey,
      csvDelimiter: ",",
    });
    const task = outcome.task;
    if (task.status === "failed") {
      this.update({ failedTasks: [...this.progress.failedTasks, task.uid] });
    } else {
      this.outstanding.push(task.uid);
    }
    const received = documents ?? Number(task.details?.receivedDocuments ?? 0);
    this.runDocuments += received;
    this.runBytes += bytes;
    this.update({
      documents: this.progress.documents + received,
      documentBytes: this.progress.documentBytes + bytes,
    });
  }
}

async function* toAsync(
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  yield* body;
}

/** A stable uid (UUID-shaped) for a key the dump stores without one. */
function derivedUid(identity: string): string {
  const hex = createHash("sha256").update(identity).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
