import { meiliError } from "@miroir/errors";
import type { MiroirTaskRecord, TaskPage } from "@miroir/taskstore";
import { Hono } from "hono";
import { accessOf } from "../../auth/index.js";
import type { ProxyContext } from "../../context.js";
import { meiliBatchOf, meiliTaskOf } from "../../tasks/meili-task.js";
import { cancelTasks, deleteTasks } from "../../tasks/task-control.js";
import { hasTaskFilter, originalFilterOf, parseTaskQuery } from "../../tasks/task-query.js";
import { taskVisibility, visibleTask, visibleTaskPage } from "../../tasks/visible-tasks.js";
import { enqueuedAnswer } from "../answers.js";

/**
 * Miroir's own task namespace (tasks and batches), answered from the task store. A key
 * sees, cancels and deletes only the tasks of the indexes it may act on (those that name
 * no index only when its `indexes` hold `*`), as on Meilisearch.
 */
export function taskRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();

  routes.get("/tasks", async (c) => {
    const visible = taskVisibility(accessOf(c));
    const page = await visibleTaskPage(ctx, parseTaskQuery(c.req.query()), visible);
    return c.json(pageAnswer(page, meiliTaskOf));
  });

  routes.get("/tasks/:taskUid", async (c) => {
    const uid = uidParam(c.req.param("taskUid"), "taskUid", "invalid_task_uids");
    const task = await visibleTask(ctx, uid, taskVisibility(accessOf(c)));
    if (task === null) throw meiliError("task_not_found", `Task \`${uid}\` not found.`);
    // An unfinished task is read from its nodes now, so `waitForTask` sees it finish as
    // soon as they do rather than at the next background poll.
    return c.json(meiliTaskOf(await ctx.taskRefresh.current(task)));
  });

  // Every Miroir task is processed as its own batch, with the task's uid.
  routes.get("/batches", async (c) => {
    const query = parseTaskQuery(c.req.query());
    const statuses = (query.statuses ?? ["processing", "succeeded", "failed", "canceled"]).filter(
      (status) => status !== "enqueued",
    );
    const page = await visibleTaskPage(ctx, { ...query, statuses }, taskVisibility(accessOf(c)));
    return c.json(pageAnswer(page, meiliBatchOf));
  });

  routes.get("/batches/:batchUid", async (c) => {
    const uid = uidParam(c.req.param("batchUid"), "batchUid", "invalid_batch_uids");
    const task = await visibleTask(ctx, uid, taskVisibility(accessOf(c)));
    if (task === null || task.status === "enqueued") {
      throw meiliError("batch_not_found", `Batch \`${uid}\` not found.`);
    }
    return c.json(meiliBatchOf(task));
  });

  // Both act on the tasks a filter matches among those the caller may see.
  for (const [method, path, action, control] of [
    ["POST", "/tasks/cancel", "cancel", cancelTasks],
    ["DELETE", "/tasks", "delete", deleteTasks],
  ] as const) {
    routes.on(method, path, async (c) => {
      const params = c.req.query();
      if (!hasTaskFilter(params)) throw missingFilters(action);
      const visible = taskVisibility(accessOf(c)) ?? undefined;
      const task = await control(
        ctx,
        parseTaskQuery(params),
        originalFilterOf(new URL(c.req.url).search),
        visible,
      );
      // A node answers a cancelation or a task deletion with 200, not 202.
      return enqueuedAnswer(task, 200);
    });
  }

  return routes;
}

function uidParam(raw: string, name: string, code: "invalid_task_uids" | "invalid_batch_uids") {
  const uid = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(uid)) {
    throw meiliError(
      code,
      `Invalid value in parameter \`${name}\`: could not parse \`${raw}\` as a positive integer`,
    );
  }
  return uid;
}

function missingFilters(action: "cancel" | "delete") {
  return meiliError(
    "missing_task_filters",
    `Query parameters to filter the tasks to ${action} are missing. Available query parameters are: \`uids\`, \`indexUids\`, \`statuses\`, \`types\`, \`canceledBy\`, \`beforeEnqueuedAt\`, \`afterEnqueuedAt\`, \`beforeStartedAt\`, \`afterStartedAt\`, \`beforeFinishedAt\`, \`afterFinishedAt\`.`,
  );
}

/** `GET /tasks` and `GET /batches` pages, each task shown by `view`. */
function pageAnswer<T>(page: TaskPage, view: (task: MiroirTaskRecord) => T) {
  return {
    results: page.results.map(view),
    total: page.total,
    limit: page.limit,
    from: page.from,
    next: page.next,
  };
}
