import { describe, expect, it } from "vitest";
import { expectError, ISO_DATE, useNode } from "./node-under-test.js";

const node = useNode();

describe("indexes", () => {
  it("creates an index through an indexCreation task and answers its index object", async () => {
    const { request, waitForTask } = node();
    const answer = await request("POST", "/indexes", { uid: "movies", primaryKey: "id" });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      taskUid: expect.any(Number),
      indexUid: "movies",
      status: "enqueued",
      type: "indexCreation",
      enqueuedAt: expect.stringMatching(ISO_DATE),
    });
    const task = await waitForTask(answer.body.taskUid);
    expect(task).toMatchObject({ status: "succeeded", details: { primaryKey: "id" } });

    const index = await request("GET", "/indexes/movies");
    expect(index.status).toBe(200);
    expect(Object.keys(index.body)).toEqual(["uid", "createdAt", "updatedAt", "primaryKey"]);
    expect(index.body).toMatchObject({ uid: "movies", primaryKey: "id" });
    expect(index.body.createdAt).toMatch(ISO_DATE);
  });

  it("fails the creation task of an index that already exists with index_already_exists", async () => {
    const { settle } = node();
    await settle("POST", "/indexes", { uid: "twice" });
    const task = await settle("POST", "/indexes", { uid: "twice" });
    expect(task.status).toBe("failed");
    expect(task.error).toMatchObject({ code: "index_already_exists", type: "invalid_request" });
  });

  it("lists indexes sorted by uid with offset, limit and total", async () => {
    const { request, settle } = node();
    for (const uid of ["list-c", "list-a", "list-b"]) await settle("POST", "/indexes", { uid });
    const answer = await request("GET", "/indexes?offset=0&limit=1000");
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual(["results", "offset", "limit", "total"]);
    const uids = answer.body.results.map((index: { uid: string }) => index.uid);
    expect(uids).toEqual([...uids].sort());
    expect(uids).toEqual(expect.arrayContaining(["list-a", "list-b", "list-c"]));
    const paged = await request("GET", "/indexes?offset=1&limit=1");
    expect(paged.body).toMatchObject({ offset: 1, limit: 1, total: answer.body.total });
    expect(paged.body.results).toHaveLength(1);
  });

  it("answers index_not_found for an unknown index", async () => {
    expectError(await node().request("GET", "/indexes/nowhere"), 404, "index_not_found");
  });

  it("rejects an invalid uid, a missing uid and unknown fields at creation", async () => {
    const { request } = node();
    expectError(await request("POST", "/indexes", { uid: "no spaces" }), 400, "invalid_index_uid");
    expectError(await request("POST", "/indexes", { primaryKey: "id" }), 400, "missing_index_uid");
    expectError(await request("POST", "/indexes", { uid: "ok", colour: 1 }), 400, "bad_request");
    expectError(
      await request("POST", "/indexes", { uid: "ok", primaryKey: 3 }),
      400,
      "invalid_index_primary_key",
    );
    expectError(await request("GET", "/indexes?limit=x"), 400, "invalid_index_limit");
  });

  it("rejects a body that is not JSON with malformed_payload and a wrong content type", async () => {
    const { request } = node();
    expectError(
      await request("POST", "/indexes", undefined, { raw: "{nope" }),
      400,
      "malformed_payload",
    );
    expectError(
      await request("POST", "/indexes", undefined, { raw: "{}", contentType: "text/plain" }),
      415,
      "invalid_content_type",
    );
    const missing = await request("POST", "/indexes", undefined, { raw: "{}", contentType: null });
    expectError(missing, 415, "missing_content_type");
    expect(missing.body.message).toBe(
      "A Content-Type header is missing. Accepted values for the Content-Type header are: `application/json`",
    );
  });

  it("updates the primary key of an empty index and deletes an index", async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes", { uid: "renamed-key" });
    const update = await settle("PATCH", "/indexes/renamed-key", { primaryKey: "sku" });
    expect(update).toMatchObject({ type: "indexUpdate", status: "succeeded" });
    expect((await request("GET", "/indexes/renamed-key")).body.primaryKey).toBe("sku");

    const deletion = await settle("DELETE", "/indexes/renamed-key");
    expect(deletion).toMatchObject({
      type: "indexDeletion",
      status: "succeeded",
      details: { deletedDocuments: 0 },
    });
    expectError(await request("GET", "/indexes/renamed-key"), 404, "index_not_found");
    const again = await settle("DELETE", "/indexes/renamed-key");
    expect(again.error.code).toBe("index_not_found");
  });

  it("refuses to change the primary key of an index that holds documents", async () => {
    const { settle } = node();
    await settle("POST", "/indexes/keyed/documents", [{ id: 1 }]);
    const task = await settle("PATCH", "/indexes/keyed", { primaryKey: "other" });
    expect(task.status).toBe("failed");
    expect(task.error).toMatchObject({
      code: "index_primary_key_already_exists",
      message: "Index `keyed`: Index already has a primary key: `id`.",
    });
  });

  it("takes customMetadata only on document writes: other task routes ignore it", async () => {
    const { request, settle } = node();
    const created = await settle("POST", "/indexes?customMetadata=ignored", { uid: "meta-less" });
    expect(created.status).toBe("succeeded");
    expect(created).not.toHaveProperty("customMetadata");
    const enqueued = await request("PATCH", "/indexes/meta-less/settings?customMetadata=x", {
      stopWords: ["a"],
    });
    expect(enqueued.body).not.toHaveProperty("customMetadata");
    const settings = await settle("DELETE", "/indexes/meta-less?customMetadata=y");
    expect(settings).not.toHaveProperty("customMetadata");
  });

  it("renames an index with a new uid, and its finished tasks follow it", async () => {
    const { request, settle } = node();
    const added = await settle("POST", "/indexes/old-name/documents", [{ id: 1, t: "kept" }]);
    const renamed = await settle("PATCH", "/indexes/old-name", { uid: "new-name" });
    expect(renamed).toMatchObject({
      indexUid: "old-name",
      type: "indexUpdate",
      status: "succeeded",
      details: { primaryKey: null, oldIndexUid: "old-name", newIndexUid: "new-name" },
    });
    expectError(await request("GET", "/indexes/old-name"), 404, "index_not_found");
    expect((await request("GET", "/indexes/new-name")).body.primaryKey).toBe("id");
    expect((await request("GET", "/indexes/new-name/documents/1")).body).toEqual({
      id: 1,
      t: "kept",
    });
    expect((await request("GET", `/tasks/${added.uid}`)).body.indexUid).toBe("new-name");
    expect((await request("GET", `/tasks/${renamed.uid}`)).body.indexUid).toBe("old-name");

    await settle("POST", "/indexes", { uid: "taken-name" });
    const clash = await settle("PATCH", "/indexes/new-name", { uid: "taken-name" });
    expect(clash.error).toMatchObject({
      code: "index_already_exists",
      message: "Index `taken-name` already exists.",
    });
    const missing = await settle("PATCH", "/indexes/no-such-index", { uid: "any-name" });
    expect(missing).toMatchObject({
      details: { primaryKey: null, oldIndexUid: "no-such-index", newIndexUid: "any-name" },
      error: { code: "index_not_found" },
    });
    expectError(
      await request("PATCH", "/indexes/new-name", { uid: "a b" }),
      400,
      "invalid_index_uid",
    );
    const keyOnly = await settle("PATCH", "/indexes/taken-name", { primaryKey: "sku" });
    expect(keyOnly.details).toEqual({ primaryKey: "sku" });
  });

  it("answers index stats in Meilisearch's shape", async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes/stats-index/documents", [
      { id: 1, title: "a", genre: "x" },
      { id: 2, title: "b" },
    ]);
    const stats = await request("GET", "/indexes/stats-index/stats");
    expect(stats.status).toBe(200);
    expect(stats.body).toEqual({
      numberOfDocuments: 2,
      rawDocumentDbSize: expect.any(Number),
      avgDocumentSize: expect.any(Number),
      isIndexing: false,
      numberOfEmbeddings: 0,
      numberOfEmbeddedDocuments: 0,
      fieldDistribution: { genre: 1, id: 2, title: 2 },
    });
  });
});
