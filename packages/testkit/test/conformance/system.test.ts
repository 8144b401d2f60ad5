import { describe, expect, it } from "vitest";
import { expectError, useNode } from "./node-under-test.js";

const node = useNode();

describe("health, version, stats", () => {
  it("answers health without a key", async () => {
    const answer = await node().request("GET", "/health", undefined, { key: null });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: "available" });
  });

  it("answers the root path without a key", async () => {
    const answer = await node().request("GET", "/", undefined, { key: null });
    expect(answer.status).toBe(200);
  });

  it("answers the version in Meilisearch's shape", async () => {
    const answer = await node().request("GET", "/version");
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(["commitDate", "commitSha", "pkgVersion"]);
    expect(answer.body.pkgVersion).toMatch(/^1\.\d+\.\d+/);
  });

  it("answers global stats with every index's stats", async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes/counted/documents", [{ id: 1 }, { id: 2 }]);
    const answer = await request("GET", "/stats");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      databaseSize: expect.any(Number),
      lastUpdate: expect.any(String),
      indexes: {
        counted: { numberOfDocuments: 2, isIndexing: false, fieldDistribution: { id: 2 } },
      },
    });
  });
});

describe("swap-indexes", () => {
  it("swaps the contents of two indexes with an indexSwap task", async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes/left/documents", [{ id: 1, side: "left" }]);
    const rightAdded = await settle("POST", "/indexes/right/documents", [{ id: 1, side: "right" }]);
    const task = await settle("POST", "/swap-indexes", [{ indexes: ["left", "right"] }]);
    expect(task).toMatchObject({
      type: "indexSwap",
      status: "succeeded",
      indexUid: null,
      details: { swaps: [{ indexes: ["left", "right"], rename: false }] },
    });
    expect((await request("GET", "/indexes/left/documents/1")).body.side).toBe("right");
    const history = await request("GET", "/tasks?indexUids=left&types=documentAdditionOrUpdate");
    expect(history.body.results.map((t: { uid: number }) => t.uid)).toEqual([rightAdded.uid]);
    expect((await request("GET", "/indexes/right/documents/1")).body.side).toBe("left");
  });

  it("fails the swap task when an index is missing, and rejects malformed swaps", async () => {
    const { request, settle } = node();
    const task = await settle("POST", "/swap-indexes", [{ indexes: ["left", "absent"] }]);
    expect(task.error.code).toBe("index_not_found");
    const short = await request("POST", "/swap-indexes", [{ indexes: ["a"] }]);
    expectError(short, 400, "invalid_swap_indexes");
    expect(short.body.message).toBe(
      'Two indexes must be given for each swap. The list `["a"]` contains 1 indexes.',
    );
    expectError(
      await request("POST", "/swap-indexes", [{ indexes: ["a", "b"] }, { indexes: ["b", "c"] }]),
      400,
      "invalid_swap_duplicate_index_found",
    );
    expectError(await request("POST", "/swap-indexes", [{}]), 400, "missing_swap_indexes");
  });
});
