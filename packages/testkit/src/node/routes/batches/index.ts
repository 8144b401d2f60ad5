import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { type AccessEnv, authorize } from "../../auth/access.js";
import type { NodeState } from "../../node-state.js";
import { checkKnownParams, notAPositiveInteger } from "../../query-params.js";
import type { Task } from "../../task-queue.js";
import { readTaskFilter, TASK_LIST_PARAMS } from "../tasks/task-filter.js";
import { visible } from "../tasks/task-visibility.js";
import { uidPage } from "../tasks/uid-page.js";

/** A batch in Meilisearch's shape (`GET /batches/{uid}`). */
export interface Batch {
  uid: number;
  progress: null;
  details: Record<string, unknown>;
  stats: {
    totalNbTasks: number;
    status: Record<string, number>;
    types: Record<string, number>;
    indexUids: Record<string, number>;
    progressTrace: Record<string, string>;
  };
  duration: string | null;
  startedAt: string;
  finishedAt: string | null;
  batchStrategy: string;
}

/** The node runs every task in its own batch, so a batch is the view of one started task. */
export function batchOf(task: Task & { batchUid: number; startedAt: string }): Batch {
  return {
    uid: task.batchUid,
    progress: null,
    details: task.details ?? {},
    stats: {
      totalNbTasks: 1,
      status: { [task.status]: 1 },
      types: { [task.type]: 1 },
      indexUids: task.indexUid === null ? {} : { [task.indexUid]: 1 },
      progressTrace: {},
    },
    duration: task.duration,
    startedAt: task.startedAt,
    finishedAt: task.finishedAt,
    batchStrategy: "batched up to configured batch size of 1 tasks",
  };
}

function started(task: Task): task is Task & { batchUid: number; startedAt: string } {
  return task.batchUid !== null && task.startedAt !== null;
}

/** `GET /batches` (the task filters, `from`/`limit`/`next`, `reverse`) and `GET /batches/{uid}`. */
export function batchRoutes(state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const { tasks, keys } = state;

  app.get("/batches", authorize(keys, "tasks.get"), (c) => {
    checkKnownParams(c, TASK_LIST_PARAMS);
    const filter = readTaskFilter(c);
    const matching = tasks
      .all()
      .filter(started)
      .filter((task) => filter.matches(task))
      .sort((a, b) => (b.batchUid ?? 0) - (a.batchUid ?? 0));
    const byBatch = new Map(matching.map((task) => [task.batchUid, task]));
    const page = uidPage(c, matching.map(batchOf), (batch) => {
      const task = byBatch.get(batch.uid);
      return task !== undefined && visible(c.var.access, task);
    });
    return c.json(page);
  });

  app.get("/batches/:batchUid", authorize(keys, "tasks.get"), (c) => {
    const raw = c.req.param("batchUid");
    if (!/^\d+$/.test(raw)) throw notAPositiveInteger("invalid_batch_uids", "batchUid", raw);
    const task = tasks
      .all()
      .find((candidate) => candidate.batchUid === Number(raw) && visible(c.var.access, candidate));
    if (task === undefined || !started(task)) {
      throw meiliError("batch_not_found", `Batch \`${raw}\` not found.`);
    }
    return c.json(batchOf(task));
  });

  return app;
}
