import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { accessOf } from "../../auth/index.js";
import type { ProxyContext } from "../../context.js";
import {
  hasTaskDocuments,
  requireTaskDocumentsFeature,
  taskDocuments,
  taskFileNotFound,
} from "../../tasks/task-documents.js";
import { taskVisibility, visibleTask } from "../../tasks/visible-tasks.js";

/**
 * `GET /tasks/{uid}/documents` (Meilisearch's experimental `getTaskDocumentsRoute`): the
 * documents of a document write while its update files still exist on the nodes, each
 * shard's part read once (`tasks/task-documents.ts`).
 */
export function taskDocumentRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();

  routes.get("/tasks/:taskUid/documents", async (c) => {
    const raw = c.req.param("taskUid");
    const uid = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    const task = Number.isSafeInteger(uid)
      ? await visibleTask(ctx, uid, taskVisibility(accessOf(c)))
      : null;
    if (task === null || !hasTaskDocuments(task)) {
      // Meilisearch checks the feature before reading the uid; no node task decides it here.
      await requireTaskDocumentsFeature(ctx);
      if (!Number.isSafeInteger(uid)) {
        throw meiliError(
          "invalid_task_uids",
          `Invalid value in parameter \`taskUid\`: could not parse \`${raw}\` as a positive integer`,
        );
      }
      if (task === null) throw meiliError("task_not_found", `Task \`${uid}\` not found.`);
      throw taskFileNotFound(uid);
    }
    return c.body(await taskDocuments(ctx, task), 200, { "Content-Type": "application/x-ndjson" });
  });

  return routes;
}
