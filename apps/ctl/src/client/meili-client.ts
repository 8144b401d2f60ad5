import { type RequestTarget, requestJson } from "./http-request.js";

/** A Meilisearch task object as Miroir answers it (`GET /tasks/{uid}`). */
export interface MeiliTask {
  readonly uid: number;
  readonly batchUid?: number | null;
  readonly indexUid: string | null;
  readonly status: TaskStatus;
  readonly type: string;
  readonly canceledBy?: number | null;
  readonly details?: Record<string, unknown> | null;
  readonly error?: { message: string; code: string; type: string; link?: string } | null;
  readonly duration?: string | null;
  readonly enqueuedAt: string;
  readonly startedAt?: string | null;
  readonly finishedAt?: string | null;
}

export type TaskStatus = "enqueued" | "processing" | "succeeded" | "failed" | "canceled";

export const FINISHED_STATUSES: ReadonlySet<string> = new Set(["succeeded", "failed", "canceled"]);

export interface TaskPage {
  readonly results: readonly MeiliTask[];
  readonly total: number;
  readonly limit: number;
  readonly from: number | null;
  readonly next: number | null;
}

/** `GET /tasks` filters, passed through as Meilisearch names them. */
export interface TaskFilter {
  readonly statuses?: readonly string[];
  readonly types?: readonly string[];
  readonly indexUids?: readonly string[];
  readonly limit?: number;
  readonly from?: number;
}

/** An API key as Meilisearch answers it. */
export interface ApiKey {
  readonly uid: string;
  readonly key: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly actions: readonly string[];
  readonly indexes: readonly string[];
  readonly expiresAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface KeyPage {
  readonly results: readonly ApiKey[];
  readonly offset: number;
  readonly limit: number;
  readonly total: number;
}

export interface NewKey {
  readonly actions: readonly string[];
  readonly indexes: readonly string[];
  readonly expiresAt: string | null;
  readonly name?: string;
  readonly description?: string;
  readonly uid?: string;
}

/** Miroir's Meilisearch routes that an operator uses: tasks and keys. */
export interface MeiliClient {
  listTasks(filter: TaskFilter): Promise<TaskPage>;
  getTask(uid: number): Promise<MeiliTask>;
  listKeys(page: { offset?: number; limit?: number }): Promise<KeyPage>;
  createKey(key: NewKey): Promise<ApiKey>;
  deleteKey(keyOrUid: string): Promise<void>;
}

export function createMeiliClient(target: RequestTarget): MeiliClient {
  return {
    listTasks(filter) {
      return requestJson<TaskPage>(target, "GET", `tasks${taskQuery(filter)}`);
    },
    getTask(uid) {
      return requestJson<MeiliTask>(target, "GET", `tasks/${uid}`);
    },
    listKeys(page) {
      const query = new URLSearchParams();
      if (page.offset !== undefined) query.set("offset", String(page.offset));
      if (page.limit !== undefined) query.set("limit", String(page.limit));
      const search = query.size === 0 ? "" : `?${query}`;
      return requestJson<KeyPage>(target, "GET", `keys${search}`);
    },
    createKey(key) {
      return requestJson<ApiKey>(target, "POST", "keys", key);
    },
    async deleteKey(keyOrUid) {
      await requestJson<unknown>(target, "DELETE", `keys/${encodeURIComponent(keyOrUid)}`);
    },
  };
}

function taskQuery(filter: TaskFilter): string {
  const query = new URLSearchParams();
  const lists = [
    ["statuses", filter.statuses],
    ["types", filter.types],
    ["indexUids", filter.indexUids],
  ] as const;
  for (const [name, values] of lists) {
    if (values !== undefined && values.length > 0) query.set(name, values.join(","));
  }
  if (filter.limit !== undefined) query.set("limit", String(filter.limit));
  if (filter.from !== undefined) query.set("from", String(filter.from));
  return query.size === 0 ? "" : `?${query}`;
}
