import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";
import { meiliBatchOf, meiliTaskOf } from "../../tasks/meili-task.js";
import { cancelTasks, deleteTasks } from "../../tasks/task-control.js";
import { hasTaskFilter, originalFilterOf, parseTaskQuery } from "../../tasks/task-query.js";
import { accepted } from "../accepted.js";

/** Miroir's own task namespace (tasks and batches), answered from the task store. */
export function taskRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();

  routes.get("/tasks", async (c) => {
    const page = await ctx.taskStore.tasks.list(parseTaskQuery(c.req.query()));
    return c.json({
      results: page.results.map(meiliTaskOf),
      total: page.total,
      limit: page.limit,
      from: page.from,
      next: page.next,
    });
  });

  routes.get("/tasks/:taskUid", async (c) => {
    const uid = uidParam(c.req.param("taskUid"), "taskUid", "invalid_task_uids");
    const task = await ctx.taskStore.tasks.get(uid);
    if (task === null) throw meiliError("task_not_found", `Task \`${uid}\` not found.`);
    return c.json(meiliTaskOf(task));
  });

  // Every Miroir task is processed as its own batch, with the task's uid.
  routes.get("/batches", async (c) => {
    const query = parseTaskQuery(c.req.query());
    const statuses = (query.statuses ?? ["processing", "succeeded", "failed", "canceled"]).filter(
      (status) => status !== "enqueued",
    );
    const page = await ctx.taskStore.tasks.list({ ...query, statuses });
    return c.json({
      results: page.results.map(meiliBatchOf),
      total: page.total,
      limit: page.limit,
      from: page.from,
      next: page.next,
    });
  });

  routes.get("/batches/:batchUid", async (c) => {
    const uid = uidParam(c.req.param("batchUid"), "batchUid", "invalid_batch_uids");
    const task = await ctx.taskStore.tasks.get(uid);
    if (task === null || task.status === "enqueued") {
      throw meiliError("batch_not_found", `Batch \`${uid}\` not found.`);
    }
    return c.json(meiliBatchOf(task));
  });

  routes.post("/tasks/cancel", async (c) => {
    const params = c.req.query();
    if (!hasTaskFilter(params)) throw missingFilters("cancel");
    return accepted(await cancelTasks(ctx, parseTaskQuery(params), originalFilterOf(params)));
  });

  routes.delete("/tasks", async (c) => {
    const params = c.req.query();
    if (!hasTaskFilter(params)) throw missingFilters("delete");
    return accepted(await deleteTasks(ctx, parseTaskQuery(params), originalFilterOf(params)));
  });

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
