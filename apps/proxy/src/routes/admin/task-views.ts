import { meiliError } from "@miroir/errors";
import type { MiroirTaskRecord } from "@miroir/taskstore";
import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";
import { type MeiliTask, meiliTaskOf } from "../../tasks/meili-task.js";
import { nodeOfTaskKey } from "../../tasks/node-task-key.js";
import { parseTaskQuery } from "../../tasks/task-query.js";

/**
 * A Miroir task as an operator sees it: the client's view plus every node task behind it
 * (a node may hold several, e.g. an index creation and then its `_miroir_shard` setting).
 */
export interface AdminTaskView extends MeiliTask {
  readonly nodeTasks: readonly { nodeId: string; taskUid: number; status: string | null }[];
}

/**
 * `GET /_miroir/tasks` and `GET /_miroir/tasks/{uid}`: every Miroir task, whatever index
 * it names, with the node tasks it maps to. They take `GET /tasks`'s filters and paging,
 * so the admin console can follow writes with the admin key alone, and show which node
 * holds a task back.
 */
export function adminTaskRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();

  routes.get("/_miroir/tasks", async (c) => {
    const page = await ctx.taskStore.tasks.list(parseTaskQuery(c.req.query()));
    return c.json({
      results: page.results.map(adminTaskViewOf),
      total: page.total,
      limit: page.limit,
      from: page.from,
      next: page.next,
    });
  });

  routes.get("/_miroir/tasks/:taskUid", async (c) => {
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
    // An unfinished task is read from its nodes now, as `GET /tasks/{uid}` does.
    return c.json(adminTaskViewOf(await ctx.taskRefresh.current(task)));
  });

  return routes;
}

export function adminTaskViewOf(record: MiroirTaskRecord): AdminTaskView {
  return {
    ...meiliTaskOf(record),
    nodeTasks: Object.entries(record.nodeTasks)
      .map(([key, taskUid]) => ({
        nodeId: nodeOfTaskKey(key),
        taskUid,
        status: record.nodeStatuses[key] ?? null,
      }))
      .sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : a.taskUid - b.taskUid)),
  };
}
