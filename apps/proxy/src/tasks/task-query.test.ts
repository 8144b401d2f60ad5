import type { MeiliError } from "@miroir/errors";
import { describe, expect, it } from "vitest";
import { hasTaskFilter, originalFilterOf, parseTaskQuery } from "./task-query.js";

const codeOf = (params: Record<string, string>) => {
  try {
    parseTaskQuery(params);
  } catch (error) {
    return (error as MeiliError).code;
  }
  return undefined;
};

describe("task query parameters", () => {
  it("read Meilisearch's filters, lists and pagination", () => {
    expect(
      parseTaskQuery({
        uids: "1,2,3",
        statuses: "failed,succeeded",
        types: "settingsUpdate",
        indexUids: "movies",
        canceledBy: "9",
        afterEnqueuedAt: "2026-01-01",
        beforeFinishedAt: "2026-01-02T10:00:00Z",
        from: "40",
        limit: "5",
      }),
    ).toEqual({
      uids: [1, 2, 3],
      statuses: ["failed", "succeeded"],
      types: ["settingsUpdate"],
      indexUids: ["movies"],
      canceledBy: [9],
      afterEnqueuedAt: Date.parse("2026-01-01"),
      beforeFinishedAt: Date.parse("2026-01-02T10:00:00Z"),
      from: 40,
      limit: 5,
    });
  });

  it("treat * as no filter and batchUids like uids (one batch per Miroir task)", () => {
    expect(parseTaskQuery({ statuses: "*", indexUids: "*" })).toEqual({});
    expect(parseTaskQuery({ afterEnqueuedAt: "*", types: "*,settingsUpdate" })).toEqual({});
    expect(parseTaskQuery({ types: "networkTopologyChange,dsrUpdate,dsrClear" })).toEqual({
      types: ["networkTopologyChange", "dsrUpdate", "dsrClear"],
    });
    expect(parseTaskQuery({ batchUids: "4,5" })).toEqual({ uids: [4, 5] });
    expect(parseTaskQuery({ uids: "3,4", batchUids: "4,5" })).toEqual({ uids: [4] });
  });

  it("list oldest first with reverse=true, as Meilisearch does", () => {
    expect(parseTaskQuery({ reverse: "true", limit: "2" })).toEqual({ reverse: true, limit: 2 });
    expect(parseTaskQuery({ reverse: "false" })).toEqual({});
  });

  it("reject bad values with Meilisearch's invalid_task_* codes", () => {
    expect(codeOf({ uids: "1,x" })).toBe("invalid_task_uids");
    expect(codeOf({ uids: "-1" })).toBe("invalid_task_uids");
    expect(codeOf({ statuses: "sleeping" })).toBe("invalid_task_statuses");
    expect(codeOf({ types: "nap" })).toBe("invalid_task_types");
    expect(codeOf({ types: "*,nap" })).toBe("invalid_task_types");
    expect(codeOf({ afterEnqueuedAt: "2026-13" })).toBe("invalid_task_after_enqueued_at");
    expect(codeOf({ canceledBy: "a" })).toBe("invalid_task_canceled_by");
    expect(codeOf({ beforeStartedAt: "yesterday" })).toBe("invalid_task_before_started_at");
    expect(codeOf({ afterFinishedAt: "soon" })).toBe("invalid_task_after_finished_at");
    expect(codeOf({ limit: "ten" })).toBe("invalid_task_limit");
    expect(codeOf({ from: "1.5" })).toBe("invalid_task_from");
    expect(codeOf({ reverse: "maybe" })).toBe("invalid_task_reverse");
    expect(codeOf({ batchUids: "z" })).toBe("invalid_batch_uids");
  });

  it("know whether a cancel or delete names a filter, and echo it as originalFilter", () => {
    expect(hasTaskFilter({ limit: "3" })).toBe(false);
    expect(hasTaskFilter({ statuses: "failed" })).toBe(true);
    expect(originalFilterOf("?statuses=failed&uids=1,2")).toBe("?statuses=failed&uids=1,2");
  });
});
