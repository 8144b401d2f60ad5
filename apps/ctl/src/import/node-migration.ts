import { CliFailure } from "../cli-failure.js";
import { type RequestTarget, requestJson } from "../client/http-request.js";

/**
 * Copies a running Meilisearch node into the cluster through Miroir's own API, the way a
 * client would: keys (same uid, so the same value under the same master key), then each
 * index with its primary key and settings, then its documents, page by page. Running it
 * again is harmless: keys and indexes that exist are kept, documents are upserts by primary
 * key. Tasks history is not copied.
 */

export interface MigrationProgress {
  readonly phase: "keys" | "indexes" | "documents" | "done";
  readonly keys: number;
  readonly indexes: number;
  readonly documents: number;
  readonly totalDocuments: number;
  readonly bytes: number;
  readonly documentsPerSecond: number;
  readonly bytesPerSecond: number;
  /** Miroir tasks that failed (their documents or settings were refused). */
  readonly failedTasks: readonly number[];
}

interface Page<T> {
  readonly results: readonly T[];
  readonly total?: number;
}

interface NodeKey {
  readonly uid: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly actions: readonly string[];
  readonly indexes: readonly string[];
  readonly expiresAt: string | null;
}

interface NodeIndex {
  readonly uid: string;
  readonly primaryKey: string | null;
}

interface TaskAnswer {
  readonly taskUid?: number;
  readonly uid?: number;
  readonly status?: string;
  readonly error?: { message?: string } | null;
}

const PAGE = 1000;
const FINISHED = new Set(["succeeded", "failed", "canceled"]);
const TASK_TIMEOUT_MS = 600_000;

async function all<T>(source: RequestTarget, path: string): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const joiner = path.includes("?") ? "&" : "?";
    const page = await requestJson<Page<T>>(
      source,
      "GET",
      `${path}${joiner}offset=${offset}&limit=${PAGE}`,
    );
    items.push(...page.results);
    if (page.results.length < PAGE) return items;
  }
}

export interface MigrationOptions {
  /** The node read, with its master key. */
  readonly source: RequestTarget;
  /** Miroir, with its master key (or a key allowed every action). */
  readonly target: RequestTarget;
  /** Documents per write (default 1000). */
  readonly batchSize?: number;
  readonly onProgress?: (progress: MigrationProgress) => void;
}

export async function migrateNode(options: MigrationOptions): Promise<MigrationProgress> {
  const { source, target } = options;
  const batchSize = options.batchSize ?? PAGE;
  const started = performance.now();
  let progress: MigrationProgress = {
    phase: "keys",
    keys: 0,
    indexes: 0,
    documents: 0,
    totalDocuments: 0,
    bytes: 0,
    documentsPerSecond: 0,
    bytesPerSecond: 0,
    failedTasks: [],
  };
  const report = (change: Partial<MigrationProgress>) => {
    const seconds = Math.max((performance.now() - started) / 1000, 0.001);
    const next = { ...progress, ...change };
    progress = {
      ...next,
      documentsPerSecond: Math.round(next.documents / seconds),
      bytesPerSecond: Math.round(next.bytes / seconds),
    };
    options.onProgress?.(progress);
  };
  const finished = async (answer: TaskAnswer): Promise<TaskAnswer> => {
    const uid = answer.taskUid ?? answer.uid;
    if (uid === undefined) return answer;
    const deadline = Date.now() + TASK_TIMEOUT_MS;
    for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
      const task = await requestJson<TaskAnswer>(target, "GET", `tasks/${uid}`);
      if (FINISHED.has(String(task.status))) {
        if (task.status !== "succeeded") {
          report({ failedTasks: [...progress.failedTasks, uid] });
        }
        return task;
      }
      if (Date.now() > deadline) throw new CliFailure(`Miroir task ${uid} did not finish.`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  };

  const existingKeys = new Set((await all<NodeKey>(target, "keys")).map((key) => key.uid));
  let keys = 0;
  for (const key of await all<NodeKey>(source, "keys")) {
    if (!existingKeys.has(key.uid)) {
      await requestJson(target, "POST", "keys", {
        uid: key.uid,
        name: key.name,
        description: key.description,
        actions: key.actions,
        indexes: key.indexes,
        expiresAt: key.expiresAt,
      });
    }
    report({ keys: ++keys });
  }

  report({ phase: "indexes" });
  const indexes = await all<NodeIndex>(source, "indexes");
  const existing = new Set((await all<NodeIndex>(target, "indexes")).map((index) => index.uid));
  let totalDocuments = 0;
  for (const index of indexes) {
    const path = `indexes/${encodeURIComponent(index.uid)}`;
    if (!existing.has(index.uid)) {
      await finished(
        await requestJson(target, "POST", "indexes", {
          uid: index.uid,
          primaryKey: index.primaryKey,
        }),
      );
    }
    const settings = await requestJson<Record<string, unknown>>(source, "GET", `${path}/settings`);
    const created = await finished(
      await requestJson(target, "PATCH", `${path}/settings`, settings),
    );
    if (created.status !== "succeeded") {
      throw new CliFailure(
        `The settings of index ${index.uid} were refused: ${created.error?.message ?? created.status}.`,
      );
    }
    const stats = await requestJson<{ numberOfDocuments: number }>(source, "GET", `${path}/stats`);
    totalDocuments += stats.numberOfDocuments;
    report({ indexes: progress.indexes + 1, totalDocuments });
  }

  report({ phase: "documents" });
  for (const index of indexes) {
    const path = `indexes/${encodeURIComponent(index.uid)}`;
    let pending: TaskAnswer | undefined;
    for (let offset = 0; ; offset += batchSize) {
      const page = await requestJson<Page<Record<string, unknown>>>(
        source,
        "POST",
        `${path}/documents/fetch`,
        { offset, limit: batchSize },
      );
      if (page.results.length === 0) break;
      const body = JSON.stringify(page.results);
      // One batch in flight: the next page is read while the cluster writes this one.
      if (pending !== undefined) await finished(pending);
      pending = await requestJson<TaskAnswer>(
        target,
        "POST",
        `${path}/documents${index.primaryKey === null ? "" : `?primaryKey=${encodeURIComponent(index.primaryKey)}`}`,
        page.results,
      );
      report({
        documents: progress.documents + page.results.length,
        bytes: progress.bytes + Buffer.byteLength(body),
      });
      if (page.results.length < batchSize) break;
    }
    if (pending !== undefined) await finished(pending);
  }
  report({ phase: "done" });
  return progress;
}
