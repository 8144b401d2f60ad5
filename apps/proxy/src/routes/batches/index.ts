import { meiliError } from "@miroir/errors";
import { TASK_STATUSES, type TaskStatus } from "@miroir/taskstore";
import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";
import { parseTaskQuery } from "../../tasks/task-query.js";
import { batchOf, type MeiliBatch } from "./batch-view.js";

const BATCHED: readonly TaskStatus[] = TASK_STATUSES.filter((status) => status !== "enqueued");

/**
 * `GET /batches` and `GET /batches/{uid}`: Miroir's view, one batch per Miroir task,
 * answered from the task store with the task filters and `from`/`limit`/`next`.
 */
export function batchRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();

  routes.get("/batches", async (c) => {
    const query = parseTaskQuery(c.req.query());
    const statuses = (query.statuses ?? BATCHED).filter((status) => status !== "enqueued");
    const page =
      statuses.length === 0
        ? { results: [], total: 0, limit: query.limit ?? 20, from: null, next: null }
        : await ctx.taskStore.tasks.list({
            ...query,
            statuses,
            reverse: c.req.query("reverse") === "true",
          });
    return c.json({
      results: page.results.map(batchOf).filter((batch): batch is MeiliBatch => batch !== null),
      total: page.total,
      limit: page.limit,
      from: page.from,
      next: page.next,
    });
  });

  routes.get("/batches/:batchUid", async (c) => {
    const raw = c.req.param("batchUid");
    const uid = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(uid)) {
      throw meiliError(
        "invalid_batch_uids",
        `Invalid value in parameter \`batchUid\`: could not parse \`${raw}\` as a positive integer`,
      );
    }
    const task = await ctx.taskStore.tasks.get(uid);
    const batch = task === null ? null : batchOf(task);
    if (batch === null) throw meiliError("batch_not_found", `Batch \`${uid}\` not found.`);
    return c.json(batch);
  });

  return routes;
}
