import { describe, expect, it } from "vitest";
import { expectError, type Json, useNode } from "./node-under-test.js";

const node = useNode();

/** The task kinds of Meilisearch 1.50, as its errors list them. */
const TYPES = [
  "documentAdditionOrUpdate",
  "documentEdition",
  "documentDeletion",
  "settingsUpdate",
  "indexCreation",
  "indexDeletion",
  "indexUpdate",
  "indexSwap",
  "taskCancelation",
  "taskDeletion",
  "dumpCreation",
  "snapshotCreation",
  "export",
  "upgradeDatabase",
  "indexCompaction",
  "networkTopologyChange",
  "dsrUpdate",
  "dsrClear",
];

const DATE_PARAMS = [
  "afterEnqueuedAt",
  "beforeEnqueuedAt",
  "afterStartedAt",
  "beforeStartedAt",
  "afterFinishedAt",
  "beforeFinishedAt",
];

const uidsOf = (answer: Json): number[] => answer.body.results.map((t: { uid: number }) => t.uid);

describe("task filters", () => {
  it("accepts every task type Meilisearch 1.50 knows, and lists them all when refusing one", async () => {
    const { request } = node();
    expect((await request("GET", `/tasks?types=${TYPES.join(",")}&limit=0`)).status).toBe(200);
    const refused = await request("GET", "/tasks?types=indexRename");
    expectError(refused, 400, "invalid_task_types");
    expect(refused.body.message).toBe(
      `Invalid value in parameter \`types\`: \`indexRename\` is not a valid task type. Available types are ${TYPES.map((t) => `\`${t}\``).join(", ")}.`,
    );
  });

  it("takes `*` for every filter, the dates included, as no filter at all", async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes/starred/documents", [{ id: 1 }]);
    const all = (await request("GET", "/tasks?limit=0")).body.total;
    const wild = [
      "uids",
      "batchUids",
      "canceledBy",
      "types",
      "statuses",
      "indexUids",
      ...DATE_PARAMS,
    ].map((name) => `${name}=*`);
    const starred = await request("GET", `/tasks?${wild.join("&")}&limit=0`);
    expect(starred.body.total).toBeGreaterThanOrEqual(all);
    const dates = await request("GET", `/tasks?${DATE_PARAMS.map((d) => `${d}=*`).join("&")}`);
    expect(dates.status).toBe(200);
  });

  it("names the item at fault in a list, and checks every item even beside `*`", async () => {
    const { request } = node();
    const types = await request("GET", "/tasks?types=*,foo");
    expectError(types, 400, "invalid_task_types");
    expect(types.body.message).toMatch(/^Invalid value in parameter `types\[1\]`: `foo` is not/);
    const uids = await request("GET", "/tasks?uids=1,a");
    expectError(uids, 400, "invalid_task_uids");
    expect(uids.body.message).toBe(
      "Invalid value in parameter `uids[1]`: could not parse `a` as a positive integer",
    );
    const statuses = await request("GET", "/tasks?statuses=succeeded,nope");
    expectError(statuses, 400, "invalid_task_statuses");
    expect(statuses.body.message).toBe(
      "Invalid value in parameter `statuses[1]`: `nope` is not a valid task status. Available statuses are `enqueued`, `processing`, `succeeded`, `failed`, `canceled`.",
    );
    const indexUids = await request("GET", "/tasks?indexUids=ok,a%20b");
    expectError(indexUids, 400, "invalid_index_uid");
    expect(indexUids.body.message).toBe(
      "Invalid value in parameter `indexUids[1]`: `a b` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.",
    );
    expectError(await request("GET", "/tasks?canceledBy=x"), 400, "invalid_task_canceled_by");
    expectError(await request("GET", "/tasks?batchUids=x"), 400, "invalid_batch_uids");
    expectError(await request("GET", "/tasks?reverse=maybe"), 400, "invalid_task_reverse");
    expectError(await request("GET", "/batches?reverse=maybe"), 400, "invalid_task_reverse");
    for (const name of DATE_PARAMS) {
      const code = `invalid_task_${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
      expectError(await request("GET", `/tasks?${name}=2026-13-01`), 400, code);
      expectError(await request("POST", `/tasks/cancel?${name}=yesterday`), 400, code);
    }
    const offset = await request("GET", "/tasks?afterEnqueuedAt=2026-01-01T00:00:00%2B02:00");
    expect(offset.status).toBe(200);
  });

  it("lists its parameters in Meilisearch's order when refusing an unknown one", async () => {
    const { request } = node();
    const dates = DATE_PARAMS.map((d) => `\`${d}\``).join(", ");
    const listing = await request("GET", "/tasks?colour=red");
    expectError(listing, 400, "bad_request");
    expect(listing.body.message).toBe(
      `Unknown parameter \`colour\`: expected one of \`limit\`, \`from\`, \`reverse\`, \`batchUids\`, \`uids\`, \`canceledBy\`, \`types\`, \`statuses\`, \`indexUids\`, ${dates}`,
    );
    expect((await request("GET", "/batches?colour=red")).body.message).toBe(listing.body.message);
    const cancel = await request("POST", "/tasks/cancel?uids=1&limit=2");
    expect(cancel.body.message).toBe(
      `Unknown parameter \`limit\`: expected one of \`uids\`, \`batchUids\`, \`canceledBy\`, \`types\`, \`statuses\`, \`indexUids\`, ${dates}`,
    );
    expect((await request("DELETE", "/tasks?uids=1&limit=2")).body.message).toBe(
      cancel.body.message,
    );
  });

  it("cancels by index, type, status and date; canceledBy finds what a cancelation canceled", async () => {
    const { node: n, request, waitForTask } = node();
    const before = new Date(Date.now() - 1000).toISOString();
    const hold = await n.control.holdQueue();
    const enqueue = async (method: string, path: string, body?: unknown) =>
      (await request(method, path, body)).body.taskUid as number;
    const addA = await enqueue("POST", "/indexes/cancel-a/documents", [{ id: 1 }]);
    const settingsA = await enqueue("PATCH", "/indexes/cancel-a/settings", { stopWords: ["x"] });
    const addB = await enqueue("POST", "/indexes/cancel-b/documents", [{ id: 1 }]);
    const deleteB = await enqueue("DELETE", "/indexes/cancel-b/documents/1");
    const kept = await enqueue("POST", "/indexes/cancel-c/documents", [{ id: 1 }]);
    const cancels = [
      await enqueue("POST", "/tasks/cancel?indexUids=cancel-a&types=settingsUpdate"),
      await enqueue(
        "POST",
        `/tasks/cancel?indexUids=cancel-b&statuses=enqueued&afterEnqueuedAt=${before}`,
      ),
      await enqueue("POST", `/tasks/cancel?uids=${addA}&beforeEnqueuedAt=2000-01-01`),
    ];
    await hold.release();
    const [byType, byStatus, tooOld] = await Promise.all(cancels.map(waitForTask));
    expect(byType.details).toEqual({
      matchedTasks: 1,
      canceledTasks: 1,
      originalFilter: "?indexUids=cancel-a&types=settingsUpdate",
    });
    expect(byStatus.details).toMatchObject({ matchedTasks: 2, canceledTasks: 2 });
    expect(tooOld.details).toMatchObject({ matchedTasks: 0, canceledTasks: 0 });
    expect((await waitForTask(settingsA)).canceledBy).toBe(byType.uid);
    expect((await waitForTask(addA)).status).toBe("succeeded");
    expect((await waitForTask(kept)).status).toBe("succeeded");
    const canceledByStatus = await request("GET", `/tasks?canceledBy=${byStatus.uid}`);
    expect(uidsOf(canceledByStatus)).toEqual([deleteB, addB]);
    const both = await request("GET", `/tasks?canceledBy=${byType.uid},${byStatus.uid}`);
    expect(uidsOf(both)).toEqual([deleteB, addB, settingsA]);
    const canceledTasks = await request(
      "GET",
      "/tasks?statuses=canceled&indexUids=cancel-a,cancel-b&types=documentDeletion,settingsUpdate",
    );
    expect(uidsOf(canceledTasks)).toEqual([deleteB, settingsA]);
  });

  it("deletes finished tasks by index, status, type, canceledBy and date", async () => {
    const { request, settle, waitForTask } = node();
    const ok = await settle("POST", "/indexes/forget/documents", [{ id: 1 }]);
    const failed = await settle("POST", "/indexes/forget/documents", [{ id: "a b" }]);
    const created = await settle("POST", "/indexes", { uid: "forget-too" });
    const remove = async (query: string) => {
      const answer = await request("DELETE", `/tasks?${query}`);
      expect(answer.status).toBe(200);
      return (await waitForTask(answer.body.taskUid)).details;
    };
    expect(await remove("indexUids=forget&statuses=failed")).toEqual({
      matchedTasks: 1,
      deletedTasks: 1,
      originalFilter: "?indexUids=forget&statuses=failed",
    });
    expectError(await request("GET", `/tasks/${failed.uid}`), 404, "task_not_found");
    expect(
      await remove("indexUids=forget-too&types=indexCreation&beforeFinishedAt=2000-01-01"),
    ).toMatchObject({ matchedTasks: 0, deletedTasks: 0 });
    const finishedLater = new Date(Date.parse(created.finishedAt) + 1).toISOString();
    expect(
      await remove(`indexUids=forget,forget-too&beforeFinishedAt=${finishedLater}`),
    ).toMatchObject({ matchedTasks: 2, deletedTasks: 2 });
    expectError(await request("GET", `/tasks/${ok.uid}`), 404, "task_not_found");
    expectError(await request("GET", `/tasks/${created.uid}`), 404, "task_not_found");
  });
});
