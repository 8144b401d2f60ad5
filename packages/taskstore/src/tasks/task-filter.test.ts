import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pageOfTasks } from "./task-filter.js";
import { type MiroirTaskRecord, TASK_STATUSES } from "./task-record.js";

const task = (uid: number, status: MiroirTaskRecord["status"]): MiroirTaskRecord => ({
  uid,
  indexUid: uid % 2 === 0 ? "movies" : "books",
  type: "documentAdditionOrUpdate",
  status,
  nodeTasks: {},
  nodeStatuses: {},
  error: null,
  details: null,
  canceledBy: null,
  customMetadata: null,
  enqueuedAt: uid * 10,
  startedAt: null,
  finishedAt: null,
});

const tasks = fc
  .uniqueArray(fc.nat({ max: 200 }), { maxLength: 60 })
  .chain((uids) =>
    fc.tuple(...uids.map((uid) => fc.constantFrom(...TASK_STATUSES).map((s) => task(uid, s)))),
  );

describe("paging through tasks", () => {
  it("visits every matching task exactly once, in order, by following next", () => {
    fc.assert(
      fc.property(
        tasks,
        fc.integer({ min: 1, max: 7 }),
        fc.subarray([...TASK_STATUSES], { minLength: 1 }),
        fc.boolean(),
        (all, limit, statuses, reverse) => {
          const seen: number[] = [];
          let from: number | undefined;
          for (let page = 0; page <= all.length; page++) {
            const answer = pageOfTasks(
              all,
              from === undefined
                ? { limit, statuses, reverse }
                : { limit, statuses, reverse, from },
            );
            seen.push(...answer.results.map((t) => t.uid));
            expect(answer.total).toBe(all.filter((t) => statuses.includes(t.status)).length);
            if (answer.next === null) break;
            from = answer.next;
          }
          const expected = all
            .filter((t) => statuses.includes(t.status))
            .map((t) => t.uid)
            .sort((a, b) => (reverse ? a - b : b - a));
          expect(seen).toEqual(expected);
        },
      ),
    );
  });

  it("answers an empty page with from and next null", () => {
    expect(pageOfTasks([], {})).toEqual({
      results: [],
      total: 0,
      limit: 20,
      from: null,
      next: null,
    });
  });
});
