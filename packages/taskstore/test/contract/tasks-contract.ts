import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TASK_STATUSES, type TaskStatus, type TaskStore, TaskStoreError } from "../../src/index.js";
import { pageOfTasks } from "../../src/tasks/task-filter.js";
import type { StoreLocationFactory } from "../store-locations.js";
import { useStore } from "./store-fixture.js";

const addition = { indexUid: "movies", type: "documentAdditionOrUpdate" } as const;

export function tasksContract(locations: StoreLocationFactory): void {
  describe("tasks", () => {
    const fixture = useStore(locations);

    async function createMany(store: TaskStore, count: number) {
      const created = [];
      for (let i = 0; i < count; i++) created.push(await store.tasks.create(addition));
      return created;
    }

    it("allocates uids 0, 1, 2… and records the task as enqueued now", async () => {
      const { store, clock } = fixture;
      const first = await store.tasks.create({
        ...addition,
        details: { receivedDocuments: 3 },
        nodeTasks: { "meili-0": 41 },
        customMetadata: "import-7",
      });
      const second = await store.tasks.create({ indexUid: null, type: "indexSwap" });
      expect(first).toEqual({
        uid: 0,
        indexUid: "movies",
        type: "documentAdditionOrUpdate",
        status: "enqueued",
        nodeTasks: { "meili-0": 41 },
        nodeStatuses: {},
        error: null,
        details: { receivedDocuments: 3 },
        canceledBy: null,
        customMetadata: "import-7",
        enqueuedAt: clock.time,
        startedAt: null,
        finishedAt: null,
      });
      expect(second.uid).toBe(1);
      expect(await store.tasks.get(0)).toEqual(first);
      expect(await store.tasks.get(1)).toEqual(second);
    });

    it("records a task created already failed, with its error", async () => {
      const error = {
        message: "Document identifier `a b` is invalid.",
        code: "invalid_document_id",
        type: "invalid_request",
        link: "https://docs.meilisearch.com/errors#invalid_document_id",
      };
      const task = await fixture.store.tasks.create({ ...addition, status: "failed", error });
      expect(await fixture.store.tasks.get(task.uid)).toMatchObject({ status: "failed", error });
    });

    it("answers null for a task that does not exist", async () => {
      expect(await fixture.store.tasks.get(99)).toBeNull();
      expect(await fixture.store.tasks.update(99, { status: "processing" })).toBeNull();
    });

    it("merges node task uids and statuses and replaces the other fields on update", async () => {
      const { store } = fixture;
      const task = await store.tasks.create({ ...addition, nodeTasks: { a: 1 } });
      await store.tasks.update(task.uid, {
        status: "processing",
        nodeTasks: { b: 7 },
        nodeStatuses: { a: "processing" },
        startedAt: 5,
      });
      const updated = await store.tasks.update(task.uid, {
        status: "failed",
        nodeStatuses: { b: "failed" },
        error: { message: "m", code: "c", type: "internal", link: "l" },
        details: { indexedDocuments: 0 },
        finishedAt: 9,
        canceledBy: 3,
      });
      expect(updated).toMatchObject({
        status: "failed",
        nodeTasks: { a: 1, b: 7 },
        nodeStatuses: { a: "processing", b: "failed" },
        error: { code: "c" },
        details: { indexedDocuments: 0 },
        startedAt: 5,
        finishedAt: 9,
        canceledBy: 3,
      });
      expect(await store.tasks.get(task.uid)).toEqual(updated);
      const cleared = await store.tasks.update(task.uid, { error: null, details: null });
      expect(cleared).toMatchObject({ error: null, details: null, status: "failed" });
    });

    it("refuses bad input with a typed error and writes nothing", async () => {
      const { store } = fixture;
      const task = await store.tasks.create(addition);
      const refusals = [
        store.tasks.create({ indexUid: "movies", type: "" }),
        store.tasks.create({ ...addition, status: "done" as never }),
        store.tasks.create({ ...addition, nodeTasks: { a: -1 } }),
        store.tasks.update(task.uid, { status: "bogus" as never }),
        store.tasks.update(task.uid, { nodeStatuses: { a: "x" as never } }),
        store.tasks.update(task.uid, { canceledBy: 1.5 }),
        store.tasks.update(task.uid, { startedAt: Number.NaN }),
        store.tasks.get(-1),
        store.tasks.list({ limit: -1 }),
        store.tasks.list({ reverse: "yes" as never }),
        store.tasks.list({ statuses: ["nope" as never] }),
        store.tasks.list({ afterEnqueuedAt: Number.POSITIVE_INFINITY }),
        store.tasks.delete({ uids: [0.5] }),
        store.tasks.prune(Number.NaN),
      ];
      for (const refusal of refusals) {
        await expect(refusal).rejects.toMatchObject({
          name: "TaskStoreError",
          code: "invalid_input",
        });
      }
      await expect(store.tasks.create({ indexUid: "", type: "x" })).rejects.toBeInstanceOf(
        TaskStoreError,
      );
      expect(await store.tasks.get(task.uid)).toEqual(task);
      expect((await store.tasks.create(addition)).uid).toBe(task.uid + 1);
    });

    it("lists newest first (or oldest first with reverse) with from, limit, next and total like Meilisearch", async () => {
      const { store } = fixture;
      await createMany(store, 5);
      expect(await store.tasks.list({ limit: 2 })).toMatchObject({
        total: 5,
        limit: 2,
        from: 4,
        next: 2,
      });
      const second = await store.tasks.list({ limit: 2, from: 2 });
      expect(second.results.map((task) => task.uid)).toEqual([2, 1]);
      expect(second).toMatchObject({ total: 5, from: 2, next: 0 });
      const last = await store.tasks.list({ limit: 2, from: 0 });
      expect(last.results.map((task) => task.uid)).toEqual([0]);
      expect(last.next).toBeNull();
      const oldestFirst = await store.tasks.list({ reverse: true, limit: 2, from: 1 });
      expect(oldestFirst.results.map((task) => task.uid)).toEqual([1, 2]);
      expect(oldestFirst).toMatchObject({ total: 5, from: 1, next: 3 });
      const all = await store.tasks.list();
      expect(all).toMatchObject({ limit: 20, total: 5, from: 4, next: null });
      expect(await store.tasks.list({ uids: [42] })).toEqual({
        results: [],
        total: 0,
        limit: 20,
        from: null,
        next: null,
      });
    });

    it("pages by the uid and status indexes exactly as filtering every task does", async () => {
      const { store } = fixture;
      const status = fc.constantFrom(...TASK_STATUSES);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ status, changeTo: fc.option(status), drop: fc.boolean() }), {
            maxLength: 12,
          }),
          fc.record(
            {
              statuses: fc.subarray<TaskStatus>([...TASK_STATUSES]),
              from: fc.nat({ max: 40 }),
              limit: fc.nat({ max: 6 }),
              reverse: fc.boolean(),
            },
            { requiredKeys: [] },
          ),
          async (changes, query) => {
            for (const change of changes) {
              const task = await store.tasks.create({ ...addition, status: change.status });
              if (change.changeTo !== null) {
                await store.tasks.update(task.uid, { status: change.changeTo });
              }
              if (change.drop) await store.tasks.delete({ uids: [task.uid] });
            }
            const last = (await store.tasks.list({ limit: 1 })).results[0]?.uid ?? -1;
            const everyTask = [];
            for (let uid = 0; uid <= last; uid++) {
              const task = await store.tasks.get(uid);
              if (task !== null) everyTask.push(task);
            }
            expect(await store.tasks.list(query)).toEqual(pageOfTasks(everyTask, query));
          },
        ),
        { numRuns: 25 },
      );
    });

    it("filters by uids, statuses, types, indexUids and canceledBy", async () => {
      const { store } = fixture;
      const a = await store.tasks.create(addition);
      const b = await store.tasks.create({ indexUid: "books", type: "settingsUpdate" });
      const swap = await store.tasks.create({ indexUid: null, type: "indexSwap" });
      const cancel = await store.tasks.create({ indexUid: null, type: "taskCancelation" });
      await store.tasks.update(b.uid, { status: "canceled", canceledBy: cancel.uid });
      const uids = async (filter: Parameters<TaskStore["tasks"]["list"]>[0]) =>
        (await store.tasks.list(filter)).results.map((task) => task.uid);
      expect(await uids({ uids: [a.uid, swap.uid] })).toEqual([swap.uid, a.uid]);
      expect(await uids({ statuses: ["canceled"] })).toEqual([b.uid]);
      expect(
        await uids({ statuses: ["enqueued"], types: ["indexSwap", "settingsUpdate"] }),
      ).toEqual([swap.uid]);
      expect(await uids({ indexUids: ["movies", "books"] })).toEqual([b.uid, a.uid]);
      expect(await uids({ canceledBy: [cancel.uid] })).toEqual([b.uid]);
      expect(await uids({ canceledBy: [999] })).toEqual([]);
    });

    it("filters by enqueued, started and finished dates, strictly, skipping unset dates", async () => {
      const { store, clock } = fixture;
      const early = await store.tasks.create(addition);
      clock.advance(1000);
      const late = await store.tasks.create(addition);
      await store.tasks.update(early.uid, { startedAt: 100, finishedAt: 200, status: "succeeded" });
      const uids = async (filter: Parameters<TaskStore["tasks"]["list"]>[0]) =>
        (await store.tasks.list(filter)).results.map((task) => task.uid);
      expect(await uids({ afterEnqueuedAt: early.enqueuedAt })).toEqual([late.uid]);
      expect(await uids({ beforeEnqueuedAt: late.enqueuedAt })).toEqual([early.uid]);
      expect(await uids({ beforeEnqueuedAt: early.enqueuedAt })).toEqual([]);
      expect(await uids({ afterStartedAt: 99 })).toEqual([early.uid]);
      expect(await uids({ beforeStartedAt: 100 })).toEqual([]);
      expect(await uids({ afterFinishedAt: 150, beforeFinishedAt: 201 })).toEqual([early.uid]);
    });

    it("lists unfinished tasks oldest first for the poller", async () => {
      const { store } = fixture;
      const [a, b, c] = await createMany(store, 3);
      await store.tasks.update(b?.uid ?? -1, { status: "succeeded" });
      await store.tasks.update(c?.uid ?? -1, { status: "processing" });
      expect((await store.tasks.listUnfinished()).map((task) => task.uid)).toEqual([
        a?.uid,
        c?.uid,
      ]);
    });

    it("deletes the tasks a filter matches and never reuses their uids", async () => {
      const { store } = fixture;
      await createMany(store, 4);
      await store.tasks.update(3, { status: "failed" });
      expect(await store.tasks.delete({ statuses: ["failed"] })).toBe(1);
      expect(await store.tasks.delete({ uids: [0, 1, 77] })).toBe(2);
      expect((await store.tasks.list()).results.map((task) => task.uid)).toEqual([2]);
      expect((await store.tasks.create(addition)).uid).toBe(4);
      expect(await store.tasks.delete({})).toBe(2);
      expect((await store.tasks.list()).total).toBe(0);
    });

    it("prunes only finished tasks that finished before the cut-off", async () => {
      const { store } = fixture;
      const [old, recent, running, canceled] = await createMany(store, 4);
      await store.tasks.update(old?.uid ?? -1, { status: "succeeded", finishedAt: 1000 });
      await store.tasks.update(recent?.uid ?? -1, { status: "failed", finishedAt: 5000 });
      await store.tasks.update(running?.uid ?? -1, { status: "processing", startedAt: 10 });
      await store.tasks.update(canceled?.uid ?? -1, { status: "canceled", finishedAt: 2000 });
      expect(await store.tasks.prune(5000)).toBe(2);
      expect((await store.tasks.list()).results.map((task) => task.uid)).toEqual([
        running?.uid,
        recent?.uid,
      ]);
    });

    it("keeps tasks and the uid counter across a restart", async () => {
      const [, second] = await createMany(fixture.store, 2);
      await fixture.store.tasks.update(second?.uid ?? -1, { nodeTasks: { n: 5 } });
      const reopened = await fixture.restart();
      expect(await reopened.tasks.get(second?.uid ?? -1)).toMatchObject({ nodeTasks: { n: 5 } });
      expect((await reopened.tasks.create(addition)).uid).toBe(2);
    });

    it("allocates distinct increasing uids to two stores writing at once", async () => {
      const other = await fixture.openAnother();
      const perStore = 40;
      const create = (store: TaskStore) =>
        Promise.all(Array.from({ length: perStore }, () => store.tasks.create(addition)));
      const [mine, theirs] = await Promise.all([create(fixture.store), create(other)]);
      const uids = [...mine, ...theirs].map((task) => task.uid);
      expect(new Set(uids).size).toBe(2 * perStore);
      expect([...uids].sort((x, y) => x - y)).toEqual(
        Array.from({ length: 2 * perStore }, (_, i) => i),
      );
      expect((await other.tasks.list({ limit: 1000 })).total).toBe(2 * perStore);
    });

    it("applies concurrent updates of one task from two stores without losing any", async () => {
      const other = await fixture.openAnother();
      const task = await fixture.store.tasks.create(addition);
      const nodes = Array.from({ length: 12 }, (_, i) => `node-${i}`);
      await Promise.all(
        nodes.map((node, i) =>
          (i % 2 === 0 ? fixture.store : other).tasks.update(task.uid, {
            nodeTasks: { [node]: i },
          }),
        ),
      );
      const stored = await fixture.store.tasks.get(task.uid);
      expect(Object.keys(stored?.nodeTasks ?? {}).sort()).toEqual([...nodes].sort());
    });
  });
}
