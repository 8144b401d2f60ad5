import { describe, expect, it } from "vitest";
import { useNode } from "./node-under-test.js";

const node = useNode();

describe("dumps and snapshots", () => {
  it("creates a dump as a dumpCreation task that names the dump it wrote", async () => {
    const { request, waitForTask } = node();
    const enqueued = await request("POST", "/dumps");
    expect(enqueued.status).toBe(202);
    expect(enqueued.body).toMatchObject({
      indexUid: null,
      status: "enqueued",
      type: "dumpCreation",
    });
    const task = await waitForTask(enqueued.body.taskUid);
    expect(task).toMatchObject({ status: "succeeded", type: "dumpCreation" });
    expect(task.details.dumpUid).toMatch(/^\d{8}-\d{9}$/);
  });

  it("creates a snapshot as a snapshotCreation task", async () => {
    const { request, waitForTask } = node();
    const enqueued = await request("POST", "/snapshots");
    expect(enqueued.status).toBe(202);
    expect(enqueued.body).toMatchObject({ indexUid: null, type: "snapshotCreation" });
    const task = await waitForTask(enqueued.body.taskUid);
    expect(task).toMatchObject({ status: "succeeded" });
    expect(Object.keys(task)).not.toContain("details");
  });

  it("compacts an index as an indexCompaction task, and fails it for a missing index", async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes/compacted/documents", [{ id: 1 }]);
    const compacted = await settle("POST", "/indexes/compacted/compact");
    expect(compacted).toMatchObject({
      indexUid: "compacted",
      status: "succeeded",
      type: "indexCompaction",
    });
    const missing = await settle("POST", "/indexes/never-created/compact");
    expect(missing).toMatchObject({ status: "failed", error: { code: "index_not_found" } });
    expect((await request("GET", "/indexes/compacted/documents/1")).status).toBe(200);
  });
});
