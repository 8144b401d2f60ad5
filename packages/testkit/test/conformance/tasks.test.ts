import { describe, expect, it } from "vitest";
import { expectError, ISO_DATE, useNode } from "./node-under-test.js";

const node = useNode();

describe("tasks", () => {
  it("answers a finished task in Meilisearch's task shape", async () => {
    const { request, waitForTask } = node();
    const enqueued = await request("POST", "/indexes", { uid: "shape" });
    await waitForTask(enqueued.body.taskUid);
    const task = (await request("GET", `/tasks/${enqueued.body.taskUid}`)).body;
    expect(Object.keys(task)).toEqual([
      "uid",
      "batchUid",
      "indexUid",
      "status",
      "type",
      "canceledBy",
      "details",
      "error",
      "duration",
      "enqueuedAt",
      "startedAt",
      "finishedAt",
    ]);
    expect(task).toEqual({
      uid: enqueued.body.taskUid,
      batchUid: expect.any(Number),
      indexUid: "shape",
      status: "succeeded",
      type: "indexCreation",
      canceledBy: null,
      details: { primaryKey: null },
      error: null,
      duration: expect.stringMatching(/^PT\d+(\.\d+)?S$/),
      enqueuedAt: enqueued.body.enqueuedAt,
      startedAt: expect.stringMatching(ISO_DATE),
      finishedAt: expect.stringMatching(ISO_DATE),
    });
  });

  it("gives increasing uids and processes tasks in order, one after the other", async () => {
    const { request, waitForTask } = node();
    const uids: number[] = [];
    for (let i = 0; i < 5; i++) {
      uids.push((await request("POST", "/indexes/ordered/documents", [{ id: i }])).body.taskUid);
    }
    expect(uids).toEqual([...uids].sort((a, b) => a - b));
    const tasks = await Promise.all(uids.map(waitForTask));
    const finished = tasks.map((task) => Date.parse(task.finishedAt));
    expect(finished).toEqual([...finished].sort((a, b) => a - b));
    expect(tasks.every((task) => typeof task.batchUid === "number")).toBe(true);
  });

  it("lists tasks newest first with filters, from, limit and next", async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes/list-a/documents", [{ id: 1 }]);
    await settle("POST", "/indexes/list-b/documents", [{ id: 1 }]);
    await settle("POST", "/indexes/list-a/documents", [{ id: "bad id" }]);
    const all = await request("GET", "/tasks?indexUids=list-a,list-b&limit=2");
    expect(all.status).toBe(200);
    expect(Object.keys(all.body)).toEqual(["results", "total", "limit", "from", "next"]);
    expect(all.body.total).toBe(3);
    expect(all.body.limit).toBe(2);
    const [first, second] = all.body.results;
    expect(first.uid).toBeGreaterThan(second.uid);
    expect(all.body.from).toBe(first.uid);
    const rest = await request(
      "GET",
      `/tasks?indexUids=list-a,list-b&limit=2&from=${all.body.next}`,
    );
    expect(rest.body.results).toHaveLength(1);
    expect(rest.body.next).toBeNull();

    const failed = await request("GET", "/tasks?statuses=failed&indexUids=list-a");
    expect(failed.body.results.map((t: { status: string }) => t.status)).toEqual(["failed"]);
    const byType = await request("GET", "/tasks?types=indexCreation&indexUids=list-a");
    expect(byType.body.total).toBe(0);
    const byUid = await request("GET", `/tasks?uids=${first.uid}`);
    expect(byUid.body.results.map((t: { uid: number }) => t.uid)).toEqual([first.uid]);
    const future = await request("GET", "/tasks?afterEnqueuedAt=2999-01-01");
    expect(future.body.total).toBe(0);
    const past = await request("GET", "/tasks?beforeEnqueuedAt=2000-01-01T00:00:00Z");
    expect(past.body.total).toBe(0);
    const reversed = await request("GET", "/tasks?reverse=true&limit=1");
    expect(reversed.body.results[0].uid).toBe(0);
  });

  it("rejects bad task filters with Meilisearch's codes", async () => {
    const { request } = node();
    expectError(await request("GET", "/tasks?uids=a"), 400, "invalid_task_uids");
    expectError(await request("GET", "/tasks?statuses=done"), 400, "invalid_task_statuses");
    expectError(await request("GET", "/tasks?types=indexRename"), 400, "invalid_task_types");
    expectError(await request("GET", "/tasks?limit=-1"), 400, "invalid_task_limit");
    expectError(await request("GET", "/tasks?from=x"), 400, "invalid_task_from");
    expectError(
      await request("GET", "/tasks?beforeEnqueuedAt=yesterday"),
      400,
      "invalid_task_before_enqueued_at",
    );
    expectError(await request("GET", "/tasks?colour=red"), 400, "bad_request");
    expectError(await request("GET", "/tasks/999999"), 404, "task_not_found");
  });

  it("requires filters to cancel or delete tasks", async () => {
    const { request } = node();
    const cancel = await request("POST", "/tasks/cancel");
    expectError(cancel, 400, "missing_task_filters");
    expect(cancel.body.message).toBe(
      "Query parameters to filter the tasks to cancel are missing. Available query parameters are: `uids`, `indexUids`, `statuses`, `types`, `canceledBy`, `beforeEnqueuedAt`, `afterEnqueuedAt`, `beforeStartedAt`, `afterStartedAt`, `beforeFinishedAt`, `afterFinishedAt`.",
    );
    expectError(await request("DELETE", "/tasks"), 400, "missing_task_filters");
  });

  it("deletes finished tasks with a taskDeletion task", async () => {
    const { request, settle, waitForTask } = node();
    const target = await settle("POST", "/indexes", { uid: "to-forget" });
    const answer = await request("DELETE", `/tasks?uids=${target.uid}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ indexUid: null, status: "enqueued", type: "taskDeletion" });
    const deletion = await waitForTask(answer.body.taskUid);
    expect(deletion.details).toEqual({
      matchedTasks: 1,
      deletedTasks: 1,
      originalFilter: `?uids=${target.uid}`,
    });
    expectError(await request("GET", `/tasks/${target.uid}`), 404, "task_not_found");
  });

  it("cancels matching tasks with a taskCancelation task", async () => {
    const { request, waitForTask } = node();
    const finished = await node().settle("POST", "/indexes", { uid: "cancel-me" });
    const answer = await request("POST", `/tasks/cancel?uids=${finished.uid}`);
    expect(answer.status).toBe(200);
    const cancel = await waitForTask(answer.body.taskUid);
    expect(cancel).toMatchObject({
      type: "taskCancelation",
      status: "succeeded",
      details: { matchedTasks: 1, canceledTasks: 0, originalFilter: `?uids=${finished.uid}` },
    });
  });
});
