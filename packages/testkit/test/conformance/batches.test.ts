import { describe, expect, it } from "vitest";
import { expectError, ISO_DATE, useNode } from "./node-under-test.js";

const node = useNode();

describe("batches", () => {
  it("shows the batch of a finished task in Meilisearch's batch shape", async () => {
    const { request, settle } = node();
    const task = await settle("POST", "/indexes/batched/documents", [{ id: 1 }, { id: 2 }]);
    const answer = await request("GET", `/batches/${task.batchUid}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      uid: task.batchUid,
      details: { receivedDocuments: 2, indexedDocuments: 2 },
      stats: {
        totalNbTasks: expect.any(Number),
        status: { succeeded: expect.any(Number) },
        types: { documentAdditionOrUpdate: expect.any(Number) },
        indexUids: { batched: expect.any(Number) },
      },
      duration: expect.stringMatching(/^PT/),
      startedAt: expect.stringMatching(ISO_DATE),
      finishedAt: expect.stringMatching(ISO_DATE),
      batchStrategy: expect.any(String),
    });
    expect(Object.keys(answer.body).sort()).toEqual([
      "batchStrategy",
      "details",
      "duration",
      "finishedAt",
      "progress",
      "startedAt",
      "stats",
      "uid",
    ]);
    expect(answer.body.stats.progressTrace).toEqual(expect.any(Object));
  });

  it("lists batches newest first with filters and from/limit/next pagination", async () => {
    const { request, settle } = node();
    for (const id of [1, 2, 3]) await settle("POST", "/indexes/paged/documents", [{ id }]);
    const all = await request("GET", "/batches?indexUids=paged");
    expect(all.status).toBe(200);
    const uids = all.body.results.map((batch: { uid: number }) => batch.uid);
    expect(uids.length).toBeGreaterThanOrEqual(1);
    expect([...uids].sort((a, b) => b - a)).toEqual(uids);
    const first = await request("GET", "/batches?indexUids=paged&limit=1");
    expect(first.body).toMatchObject({ limit: 1, from: uids[0], total: all.body.total });
    expect(first.body.next).toBe(uids[1] ?? null);
  });

  it("answers batch_not_found and invalid_batch_uids like Meilisearch", async () => {
    const { request } = node();
    expectError(await request("GET", "/batches/999999"), 404, "batch_not_found");
    expectError(await request("GET", "/batches/abc"), 400, "invalid_batch_uids");
  });
});
