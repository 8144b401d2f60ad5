import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { type AccessEnv, authorize } from "../../auth/access.js";
import type { NodeState } from "../../node-state.js";
import { checkKnownParams, notAPositiveInteger } from "../../query-params.js";
import {
  originalFilter,
  readTaskFilter,
  TASK_FILTER_PARAMS,
  TASK_LIST_PARAMS,
} from "./task-filter.js";
import { visible } from "./task-visibility.js";
import { uidPage } from "./uid-page.js";

function missingFilters(what: "cancel" | "delete") {
  return meiliError(
    "missing_task_filters",
    `Query parameters to filter the tasks to ${what} are missing. Available query parameters are: \`uids\`, \`indexUids\`, \`statuses\`, \`types\`, \`canceledBy\`, \`beforeEnqueuedAt\`, \`afterEnqueuedAt\`, \`beforeStartedAt\`, \`afterStartedAt\`, \`beforeFinishedAt\`, \`afterFinishedAt\`.`,
  );
}

/**
 * `/tasks`: list with filters and pagination, get one, its documents (behind
 * `getTaskDocumentsRoute`), cancel, delete.
 */
export function taskRoutes(state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const { tasks, keys } = state;

  app.get("/tasks", authorize(keys, "tasks.get"), (c) => {
    checkKnownParams(c, TASK_LIST_PARAMS);
    const filter = readTaskFilter(c);
    const matching = tasks.all().filter((task) => filter.matches(task));
    return c.json(uidPage(c, matching, (task) => visible(c.var.access, task)));
  });

  app.get("/tasks/:taskUid", authorize(keys, "tasks.get"), (c) => {
    const raw = c.req.param("taskUid");
    if (!/^\d+$/.test(raw)) throw notAPositiveInteger("invalid_task_uids", "taskUid", raw);
    const task = tasks.get(Number(raw));
    if (task === undefined || !visible(c.var.access, task)) {
      throw meiliError("task_not_found", `Task \`${raw}\` not found.`);
    }
    return c.json(task);
  });

  app.get("/tasks/:taskUid/documents", authorize(keys, "tasks.get"), (c) => {
    if (!state.features.getTaskDocumentsRoute) {
      throw meiliError(
        "feature_not_enabled",
        "Getting the documents of an enqueued task requires enabling the `get task documents route` experimental feature. See https://github.com/orgs/meilisearch/discussions/808",
      );
    }
    const raw = c.req.param("taskUid");
    if (!/^\d+$/.test(raw)) throw notAPositiveInteger("invalid_task_uids", "taskUid", raw);
    const task = tasks.get(Number(raw));
    if (task === undefined || !visible(c.var.access, task)) {
      throw meiliError("task_not_found", `Task \`${raw}\` not found.`);
    }
    const payload = tasks.payloadOf(task.uid);
    if (payload === undefined) {
      throw meiliError(
        "task_file_not_found",
        `Task \`${raw}\` does not contain any documents. Only \`documentAdditionOrUpdate\` tasks with the statuses \`enqueued\` or \`processing\` contain documents`,
      );
    }
    return c.body(payload, 200, { "Content-Type": "application/x-ndjson" });
  });

  app.post("/tasks/cancel", authorize(keys, "tasks.cancel"), (c) => {
    checkKnownParams(c, TASK_FILTER_PARAMS);
    const filter = readTaskFilter(c);
    if (!filter.present) throw missingFilters("cancel");
    const matched = tasks
      .all()
      .filter((task) => visible(c.var.access, task) && filter.matches(task))
      .map((task) => task.uid);
    const summary = tasks.enqueue(
      "taskCancelation",
      null,
      { matchedTasks: matched.length, canceledTasks: null, originalFilter: originalFilter(c) },
      (self) => ({
        ...self.details,
        canceledTasks: tasks.cancel(matched, self.uid),
      }),
      { urgent: true },
    );
    return c.json(summary, 200);
  });

  app.delete("/tasks", authorize(keys, "tasks.delete"), (c) => {
    checkKnownParams(c, TASK_FILTER_PARAMS);
    const filter = readTaskFilter(c);
    if (!filter.present) throw missingFilters("delete");
    const matched = tasks
      .all()
      .filter((task) => visible(c.var.access, task) && filter.matches(task))
      .map((task) => task.uid);
    const summary = tasks.enqueue(
      "taskDeletion",
      null,
      { matchedTasks: matched.length, deletedTasks: null, originalFilter: originalFilter(c) },
      (self) => ({ ...self.details, deletedTasks: tasks.delete(matched) }),
      { urgent: true },
    );
    return c.json(summary, 200);
  });

  return app;
}
