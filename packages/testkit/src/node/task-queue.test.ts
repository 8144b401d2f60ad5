import { meiliError } from "@miroir/errors";
import { describe, expect, it } from "vitest";
import { type Task, TaskQueue } from "./task-queue.js";

const noFault = () => undefined;

describe("TaskQueue", () => {
  it("answers enqueued at once and runs tasks later, one at a time, in uid order", async () => {
    const queue = new TaskQueue(noFault);
    const ran: number[] = [];
    const first = queue.enqueue("indexCreation", "a", {}, (task) => {
      ran.push(task.uid);
      return undefined;
    });
    const second = queue.enqueue("indexCreation", "b", {}, (task) => {
      expect(queue.get(first.taskUid)?.status).toBe("succeeded");
      ran.push(task.uid);
      return { done: true };
    });
    expect([first.status, first.taskUid, second.taskUid]).toEqual(["enqueued", 0, 1]);
    expect(queue.isIndexing("a")).toBe(true);
    await queue.idle();
    expect(ran).toEqual([0, 1]);
    expect(queue.get(1)).toMatchObject({
      status: "succeeded",
      details: { done: true },
      batchUid: 1,
    });
    expect(queue.get(1)?.duration).toMatch(/^PT\d+(\.\d+)?S$/);
    expect(queue.isIndexing("a")).toBe(false);
    expect(queue.all().map((task) => task.uid)).toEqual([1, 0]);
  });

  it("fails a task with the error its work throws and zeroes its counters", async () => {
    const queue = new TaskQueue(noFault);
    queue.enqueue(
      "documentAdditionOrUpdate",
      "a",
      { receivedDocuments: 2, indexedDocuments: null },
      () => {
        throw meiliError("missing_document_id", "no id");
      },
    );
    queue.enqueue("indexDeletion", "a", { deletedDocuments: null }, () => {
      throw new Error("disk on fire");
    });
    await queue.idle();
    expect(queue.get(0)).toMatchObject({
      status: "failed",
      details: { receivedDocuments: 2, indexedDocuments: 0 },
      error: { code: "missing_document_id", message: "no id", type: "invalid_request" },
    });
    expect(queue.get(1)?.error).toMatchObject({ code: "internal", message: "disk on fire" });
  });

  it("runs cancelations first, canceling tasks still enqueued", async () => {
    const queue = new TaskQueue(noFault);
    let ran = false;
    const work = queue.enqueue("indexCreation", "a", {}, () => {
      ran = true;
      return undefined;
    });
    const cancel = queue.enqueue(
      "taskCancelation",
      null,
      {},
      (self) => ({ canceledTasks: queue.cancel([work.taskUid], self.uid) }),
      { urgent: true },
    );
    await queue.idle();
    expect(ran).toBe(false);
    expect(queue.get(work.taskUid)).toMatchObject({
      status: "canceled",
      canceledBy: cancel.taskUid,
    });
    expect(queue.get(cancel.taskUid)?.details).toEqual({ canceledTasks: 1 });
    expect(queue.delete([work.taskUid, 99])).toBe(1);
    expect(queue.get(work.taskUid)).toBeUndefined();
  });

  it("fails the tasks a fault names with an internal error, without running them", async () => {
    let predicate: ((task: Task) => boolean) | undefined = (task) => task.indexUid === "b";
    const queue = new TaskQueue(() => predicate);
    let ran = 0;
    const count = () => {
      ran++;
      return undefined;
    };
    queue.enqueue("settingsUpdate", "a", {}, count);
    queue.enqueue("settingsUpdate", "b", {}, count);
    await queue.idle();
    predicate = undefined;
    queue.enqueue("settingsUpdate", "b", {}, count);
    await queue.idle();
    expect(ran).toBe(2);
    expect(queue.get(1)).toMatchObject({ status: "failed", error: { code: "internal" } });
    expect(queue.get(2)?.status).toBe("succeeded");
  });

  it("swaps index uids in the history of finished tasks", async () => {
    const queue = new TaskQueue(noFault);
    queue.enqueue("indexCreation", "a", {}, () => undefined);
    queue.enqueue("indexCreation", "b", {}, () => undefined);
    await queue.idle();
    queue.swapIndexUids("a", "b");
    expect(queue.all().map((task) => task.indexUid)).toEqual(["a", "b"]);
  });
});
