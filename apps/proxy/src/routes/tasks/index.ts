import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";
import { meiliTaskOf } from "../../tasks/meili-task.js";
import { cancelTasks, deleteTasks } from "../../tasks/task-control.js";
import { hasTaskFilter, originalFilterOf, parseTaskQuery } from "../../tasks/task-query.js";
import { accepted } from "../accepted.js";

/** Miroir's own task namespace, answered from the task store in Meilisearch's shapes. */
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
    const raw = c.req.param("taskUid");
    const uid = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(uid)) {
      throw meiliError(
        "invalid_task_uids",
        `Invalid value in parameter \`taskUid\`: could not parse \`${raw}\` as a positive integer`,
      );
    }
    const task = await ctx.taskStore.tasks.get(uid);
    if (task === null) throw meiliError("task_not_found", `Task \`${uid}\` not found.`);
    return c.json(meiliTaskOf(task));
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

function missingFilters(action: "cancel" | "delete") {
  return meiliError(
    "missing_task_filters",
    `Query parameters to filter the tasks to ${action} are missing. Available query parameters are: \`uids\`, \`indexUids\`, \`statuses\`, \`types\`, \`canceledBy\`, \`beforeEnqueuedAt\`, \`afterEnqueuedAt\`, \`beforeStartedAt\`, \`afterStartedAt\`, \`beforeFinishedAt\`, \`afterFinishedAt\`.`,
  );
}
