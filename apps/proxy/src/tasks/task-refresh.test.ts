import type { MiroirTaskRecord } from "@miroir/taskstore";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregateStatus } from "./aggregate-status.js";
import type { NodeTask } from "./node-task.js";
import {
  ON_DEMAND_SPACING_MAX_MS,
  ON_DEMAND_SPACING_MS,
  onDemandSpacing,
  refreshed,
} from "./task-refresh.js";

const base: MiroirTaskRecord = {
  uid: 7,
  indexUid: "movies",
  type: "documentAdditionOrUpdate",
  status: "enqueued",
  nodeTasks: { "node-0": 3, "node-1": 9 },
  nodeStatuses: {},
  error: null,
  details: { receivedDocuments: 10, indexedDocuments: null },
  canceledBy: null,
  customMetadata: null,
  enqueuedAt: Date.parse("2026-01-01T00:00:00Z"),
  startedAt: null,
  finishedAt: null,
};

const nodeTask = (uid: number, status: NodeTask["status"], extra: Partial<NodeTask> = {}) =>
  ({
    uid,
    status,
    type: "documentAdditionOrUpdate",
    indexUid: "movies",
    startedAt: "2026-01-01T00:00:01Z",
    finishedAt: status === "enqueued" || status === "processing" ? null : "2026-01-01T00:00:02Z",
    ...extra,
  }) as NodeTask;

describe("the status of a Miroir task", () => {
  it("aggregates node statuses: failed over canceled over succeeded, unfinished while any runs", () => {
    expect(aggregateStatus(["enqueued", "enqueued"])).toBe("enqueued");
    expect(aggregateStatus(["enqueued", "succeeded"])).toBe("processing");
    expect(aggregateStatus(["processing", "failed"])).toBe("processing");
    expect(aggregateStatus(["succeeded", "failed", "canceled"])).toBe("failed");
    expect(aggregateStatus(["succeeded", "canceled"])).toBe("canceled");
    expect(aggregateStatus(["succeeded", "succeeded"])).toBe("succeeded");
  });

  it("finishes with summed details divided by the copies when every node task succeeded", () => {
    const patch = refreshed(
      base,
      (key) =>
        key === "node-0"
          ? nodeTask(3, "succeeded", { details: { receivedDocuments: 6, indexedDocuments: 6 } })
          : nodeTask(9, "succeeded", { details: { receivedDocuments: 4, indexedDocuments: 4 } }),
      1,
    );
    expect(patch).toMatchObject({
      status: "succeeded",
      error: null,
      details: { receivedDocuments: 10, indexedDocuments: 10 },
      startedAt: Date.parse("2026-01-01T00:00:01Z"),
      finishedAt: Date.parse("2026-01-01T00:00:02Z"),
    });
  });

  it("fails with the failing node's own error and no indexed documents", () => {
    const error = {
      message: "boom",
      code: "internal",
      type: "internal",
      link: "https://docs.meilisearch.com/errors#internal",
    };
    const patch = refreshed(
      base,
      (key) => (key === "node-0" ? nodeTask(3, "succeeded") : nodeTask(9, "failed", { error })),
      1,
    );
    expect(patch).toMatchObject({ status: "failed", error, details: { indexedDocuments: 0 } });
  });

  it("is canceled when a node task was canceled", () => {
    const patch = refreshed(
      base,
      (key) => (key === "node-0" ? nodeTask(3, "canceled") : nodeTask(9, "succeeded")),
      1,
    );
    expect(patch?.status).toBe("canceled");
  });

  it("keeps the last known status of a node that does not answer, and changes nothing then", () => {
    const running = {
      ...base,
      status: "processing" as const,
      nodeStatuses: { "node-0": "processing" as const, "node-1": "succeeded" as const },
    };
    expect(refreshed(running, () => undefined, 1)).toBeUndefined();
  });

  it("no longer waits for the part of a node that left the fleet (drained and removed)", () => {
    const patch = refreshed(
      base,
      (key) => (key === "node-0" ? nodeTask(3, "succeeded") : undefined),
      1,
      (key) => key === "node-1",
    );
    expect(patch?.status).toBe("succeeded");
    const waiting = refreshed(
      base,
      (key) => (key === "node-0" ? nodeTask(3, "succeeded") : undefined),
      1,
      () => false,
    );
    expect(waiting?.status).toBe("processing");
  });
});

describe("the pace of on-demand refreshes", () => {
  it("is a tenth of the task's age, within its bounds, and never shrinks as the task ages", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), (age, more) => {
        const now = base.enqueuedAt + age;
        const spacing = onDemandSpacing(base, now);
        expect(spacing).toBeGreaterThanOrEqual(ON_DEMAND_SPACING_MS);
        expect(spacing).toBeLessThanOrEqual(ON_DEMAND_SPACING_MAX_MS);
        expect(spacing).toBeLessThanOrEqual(Math.max(ON_DEMAND_SPACING_MS, age / 10));
        expect(onDemandSpacing(base, now + more)).toBeGreaterThanOrEqual(spacing);
      }),
    );
    expect(onDemandSpacing(base, base.enqueuedAt)).toBe(ON_DEMAND_SPACING_MS);
    expect(onDemandSpacing(base, base.enqueuedAt + 1_000)).toBe(100);
    expect(onDemandSpacing(base, base.enqueuedAt + 60_000)).toBe(ON_DEMAND_SPACING_MAX_MS);
  });
});
