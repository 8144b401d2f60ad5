import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import type { TaskFilter, TaskListQuery, TaskPatch, TaskStatus, TaskStore } from "../src/index.js";
import { TASK_STATUSES } from "../src/index.js";
import { FakeClock, redisLocations, sqliteLocations } from "./store-locations.js";

const redisUrl = inject("redisUrl");

type Operation =
  | { kind: "create"; indexUid: string | null; type: string; status: TaskStatus }
  | { kind: "update"; pick: number; patch: TaskPatch }
  | { kind: "delete"; filter: TaskFilter }
  | { kind: "prune"; olderThan: number }
  | { kind: "list"; query: TaskListQuery }
  | { kind: "wait"; ms: number };

const status = fc.constantFrom(...TASK_STATUSES);
const indexUid = fc.constantFrom("movies", "books", null);
const taskType = fc.constantFrom("documentAdditionOrUpdate", "settingsUpdate", "indexSwap");
const time = fc.integer({ min: 0, max: 50 });

const filter: fc.Arbitrary<TaskFilter> = fc.record(
  {
    uids: fc.array(fc.nat({ max: 12 }), { maxLength: 3 }),
    statuses: fc.subarray([...TASK_STATUSES], { minLength: 1 }),
    types: fc.array(taskType, { minLength: 1, maxLength: 2 }),
    indexUids: fc.array(fc.constantFrom("movies", "books"), { minLength: 1, maxLength: 2 }),
    canceledBy: fc.array(fc.nat({ max: 12 }), { minLength: 1, maxLength: 2 }),
    afterStartedAt: time,
    beforeFinishedAt: time,
    afterEnqueuedAt: fc.integer({ min: 0, max: 200 }),
  },
  { requiredKeys: [] },
);

const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("create" as const),
      indexUid,
      type: taskType,
      status,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("update" as const),
      pick: fc.nat({ max: 15 }),
      patch: fc.record(
        {
          status,
          nodeTasks: fc.dictionary(fc.constantFrom("n0", "n1", "n2"), fc.nat({ max: 99 })),
          nodeStatuses: fc.dictionary(fc.constantFrom("n0", "n1"), status),
          startedAt: fc.option(time),
          finishedAt: fc.option(time),
          canceledBy: fc.option(fc.nat({ max: 12 })),
          details: fc.option(fc.dictionary(fc.constantFrom("a", "b"), fc.nat())),
        },
        { requiredKeys: [] },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), filter }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("prune" as const), olderThan: time }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("list" as const),
      query: fc
        .tuple(filter, fc.option(fc.nat({ max: 14 })), fc.integer({ min: 0, max: 6 }), fc.boolean())
        .map(([f, from, limit, reverse]) =>
          from === null ? { ...f, limit, reverse } : { ...f, from, limit, reverse },
        ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("wait" as const),
      ms: fc.integer({ min: 1, max: 40 }),
    }),
  },
);

async function apply(
  store: TaskStore,
  step: Exclude<Operation, { kind: "wait" }>,
): Promise<unknown> {
  switch (step.kind) {
    case "create":
      return store.tasks.create({ indexUid: step.indexUid, type: step.type, status: step.status });
    case "update":
      return store.tasks.update(step.pick, step.patch);
    case "delete":
      return store.tasks.delete(step.filter);
    case "prune":
      return store.tasks.prune(step.olderThan);
    case "list":
      return store.tasks.list(step.query);
  }
}

describe.skipIf(redisUrl === "")("the SQLite and Redis backends", () => {
  it("end in the same observable state after any sequence of task operations", async () => {
    const sqlite = sqliteLocations();
    const redis = redisLocations(redisUrl);
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 25 }), async (steps) => {
        const clock = new FakeClock();
        const locations = [await sqlite(), await redis()];
        const stores = await Promise.all(locations.map((location) => location.open(clock.now)));
        try {
          for (const step of steps) {
            if (step.kind === "wait") {
              clock.advance(step.ms);
              continue;
            }
            const left = await apply(stores[0] as TaskStore, step);
            const right = await apply(stores[1] as TaskStore, step);
            expect(right).toEqual(left);
          }
          const [left, right] = await Promise.all(
            stores.map(async (store) => ({
              all: await store.tasks.list({ limit: 1_000 }),
              unfinished: await store.tasks.listUnfinished(),
            })),
          );
          expect(right).toEqual(left);
        } finally {
          for (const store of stores) await store.close();
          for (const location of locations) await location.dispose();
        }
      }),
      { numRuns: 15 },
    );
  }, 60_000);
});
