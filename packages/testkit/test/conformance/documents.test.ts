import { beforeAll, describe, expect, it } from "vitest";
import { expectError, ISO_DATE, useNode } from "./node-under-test.js";

const node = useNode();

describe("documents: adding", () => {
  it("adds documents with a documentAdditionOrUpdate task, creating the index", async () => {
    const { request, waitForTask } = node();
    const answer = await request("POST", "/indexes/books/documents", [
      { id: 1, title: "Dune" },
      { id: "two", title: "Emma" },
    ]);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      taskUid: expect.any(Number),
      indexUid: "books",
      status: "enqueued",
      type: "documentAdditionOrUpdate",
      enqueuedAt: expect.stringMatching(ISO_DATE),
    });
    const task = await waitForTask(answer.body.taskUid);
    expect(task).toMatchObject({
      status: "succeeded",
      details: { receivedDocuments: 2, indexedDocuments: 2 },
    });
    expect((await request("GET", "/indexes/books")).body.primaryKey).toBe("id");
    expect((await request("GET", "/indexes/books/documents/1")).body).toEqual({
      id: 1,
      title: "Dune",
    });
  });

  it("replaces with POST and merges with PUT", async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes/merge/documents", [{ id: 1, a: 1, b: 1 }]);
    await settle("PUT", "/indexes/merge/documents", [{ id: 1, b: 2, c: 3 }]);
    expect((await request("GET", "/indexes/merge/documents/1")).body).toEqual({
      id: 1,
      a: 1,
      b: 2,
      c: 3,
    });
    await settle("POST", "/indexes/merge/documents", [{ id: 1, z: 0 }]);
    expect((await request("GET", "/indexes/merge/documents/1")).body).toEqual({ id: 1, z: 0 });
  });

  it("reads NDJSON and CSV payloads, CSV with typed columns", async () => {
    const { request, settle } = node();
    const ndjson = await settle("POST", "/indexes/formats/documents", undefined, {
      raw: '{"id": 1, "n": "one"}\n\n{"id": 2, "n": "two"}\n',
      contentType: "application/x-ndjson",
    });
    expect(ndjson.details).toEqual({ receivedDocuments: 2, indexedDocuments: 2 });
    await settle("POST", "/indexes/formats/documents", undefined, {
      raw: 'id,price:number,ok:boolean,name\n3,9.5,true,"Smith, ""J"""\n4,,false,\n',
      contentType: "text/csv",
    });
    expect((await request("GET", "/indexes/formats/documents/3")).body).toEqual({
      id: "3",
      price: 9.5,
      ok: true,
      name: 'Smith, "J"',
    });
    expect((await request("GET", "/indexes/formats/documents/4")).body).toEqual({
      id: "4",
      price: null,
      ok: false,
      name: null,
    });
    await settle("POST", "/indexes/formats/documents?csvDelimiter=;", undefined, {
      raw: "id;name\n5;five\n",
      contentType: "text/csv",
    });
    expect((await request("GET", "/indexes/formats/documents/5")).body).toEqual({
      id: "5",
      name: "five",
    });
  });

  it("carries customMetadata into the task and skips unknown ids with skipCreation", async () => {
    const { request, settle, waitForTask } = node();
    const enqueued = await request("POST", "/indexes/meta/documents?customMetadata=import-1", [
      { id: 1, v: 1 },
    ]);
    expect(enqueued.body).toEqual({
      taskUid: expect.any(Number),
      indexUid: "meta",
      status: "enqueued",
      type: "documentAdditionOrUpdate",
      enqueuedAt: expect.stringMatching(ISO_DATE),
      customMetadata: "import-1",
    });
    expect((await waitForTask(enqueued.body.taskUid)).customMetadata).toBe("import-1");
    const skipped = await settle("PUT", "/indexes/meta/documents?skipCreation=true", [
      { id: 1, v: 2 },
      { id: 2, v: 2 },
      { id: 2, v: 3 },
    ]);
    expect(skipped).not.toHaveProperty("customMetadata");
    // the distinct ids of the batch, the skipped one included
    expect(skipped.details).toEqual({ receivedDocuments: 3, indexedDocuments: 2 });
    expect((await request("GET", "/indexes/meta/documents")).body.results).toEqual([
      { id: 1, v: 2 },
    ]);
    expectError(
      await request("POST", "/indexes/meta/documents?skipCreation=maybe", [{ id: 3 }]),
      400,
      "invalid_skip_creation",
    );
    expectError(
      await request("POST", "/indexes/meta/documents?colour=red", [{ id: 3 }]),
      400,
      "bad_request",
    );
  });

  it("infers the primary key from the single attribute ending with id", async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes/inferred/documents", [{ productId: "p1", name: "x" }]);
    expect((await request("GET", "/indexes/inferred")).body.primaryKey).toBe("productId");
  });

  it("fails the task when no attribute or several attributes could be the primary key", async () => {
    const { settle } = node();
    const none = await settle("POST", "/indexes/no-key/documents", [{ name: "x" }]);
    expect(none).toMatchObject({
      status: "failed",
      details: { receivedDocuments: 1, indexedDocuments: 0 },
      error: { code: "index_primary_key_no_candidate_found", type: "invalid_request" },
    });
    const several = await settle("POST", "/indexes/two-keys/documents", [{ id: 1, userId: 2 }]);
    expect(several.error.code).toBe("index_primary_key_multiple_candidates_found");
    expect(several.error.link).toBe(
      "https://docs.meilisearch.com/errors#index_primary_key_multiple_candidates_found",
    );
  });

  it("uses the primaryKey parameter and refuses a different one later", async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes/chosen/documents?primaryKey=sku", [{ sku: "a", id: 1 }]);
    expect((await request("GET", "/indexes/chosen")).body.primaryKey).toBe("sku");
    const clash = await settle("POST", "/indexes/chosen/documents?primaryKey=id", [
      { sku: "b", id: 2 },
    ]);
    expect(clash.error.code).toBe("index_primary_key_already_exists");
  });

  it("fails the whole batch on a missing or invalid id and writes nothing", async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes", { uid: "strict-ids", primaryKey: "id" });
    const missing = await settle("POST", "/indexes/strict-ids/documents", [
      { id: 1 },
      { title: "no id" },
    ]);
    expect(missing.error.code).toBe("missing_document_id");
    const invalid = await settle("POST", "/indexes/strict-ids/documents", [
      { id: 2 },
      { id: "a b" },
    ]);
    expect(invalid.error.code).toBe("invalid_document_id");
    const floating = await settle("POST", "/indexes/strict-ids/documents", [{ id: 1.5 }]);
    expect(floating.error.code).toBe("invalid_document_id");
    const browse = await request("GET", "/indexes/strict-ids/documents");
    expect(browse.body.total).toBe(0);
  });

  it("rejects payload problems in the response, not in a task", async () => {
    const { request } = node();
    expectError(
      await request("POST", "/indexes/bad/documents", undefined, {
        raw: "[{",
        contentType: "application/json",
      }),
      400,
      "malformed_payload",
    );
    // an element that is not an object: malformed when more follow, an internal error (500)
    // when it is the last one, as Meilisearch answers
    expectError(
      await request("POST", "/indexes/bad/documents", undefined, { raw: '[1, {"id": 2}]' }),
      400,
      "malformed_payload",
    );
    const last = await request("POST", "/indexes/bad/documents", undefined, {
      raw: '[{"id": 1}, "xy"]',
    });
    expectError(last, 500, "internal", "internal");
    expect(last.body.message).toBe('invalid type: string "xy", expected a map at line 1 column 4');
    expectError(
      await request("POST", "/indexes/bad/documents", undefined, { raw: "[1]" }),
      500,
      "internal",
      "internal",
    );
    expectError(
      await request("POST", "/indexes/bad/documents", undefined, { raw: "42" }),
      400,
      "malformed_payload",
    );
    expectError(
      await request("POST", "/indexes/bad/documents", undefined, {
        raw: "x",
        contentType: "text/plain",
      }),
      415,
      "invalid_content_type",
    );
    expectError(
      await request("POST", "/indexes/bad/documents", undefined, { raw: "[]", contentType: null }),
      415,
      "missing_content_type",
    );
    expectError(
      await request("POST", "/indexes/bad/documents", undefined, {
        raw: "",
        contentType: "application/json",
      }),
      400,
      "missing_payload",
    );
    expectError(
      await request("POST", "/indexes/bad/documents", undefined, {
        raw: '{"id": 1}\n{oops',
        contentType: "application/x-ndjson",
      }),
      400,
      "malformed_payload",
    );
    expectError(
      await request("POST", "/indexes/bad/documents?csvDelimiter=ab", undefined, {
        raw: "id\n1\n",
        contentType: "text/csv",
      }),
      400,
      "invalid_document_csv_delimiter",
    );
    expectError(await request("GET", "/indexes/bad"), 404, "index_not_found");
  });
});

describe("documents: reading", () => {
  beforeAll(async () => {
    const { settle } = node();
    await settle("POST", "/indexes/read/documents", [
      { id: 1, title: "A", genre: "sf", year: 1965, author: { name: "Herbert" } },
      { id: 2, title: "B", genre: "drama", year: 1815, author: { name: "Austen" } },
      { id: 3, title: "C", genre: "sf", year: 1951, author: { name: "Asimov" } },
    ]);
  });

  it("browses in insertion order with offset, limit, total and fields", async () => {
    const { request } = node();
    const answer = await request(
      "GET",
      "/indexes/read/documents?offset=1&limit=1&fields=title,author.name",
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      results: [{ title: "B", author: { name: "Austen" } }],
      offset: 1,
      limit: 1,
      total: 3,
    });
  });

  it("fetches by filter and ids, and refuses a filter on an attribute that is not filterable", async () => {
    const { request, settle } = node();
    expectError(
      await request("POST", "/indexes/read/documents/fetch", { filter: "genre = sf" }),
      400,
      "invalid_document_filter",
    );
    await settle("PUT", "/indexes/read/settings/filterable-attributes", ["genre", "year"]);
    const fetched = await request("POST", "/indexes/read/documents/fetch", {
      filter: "genre = sf AND year > 1960",
      fields: ["id"],
    });
    expect(fetched.body).toEqual({ results: [{ id: 1 }], offset: 0, limit: 20, total: 1 });
    const byIds = await request("POST", "/indexes/read/documents/fetch", {
      ids: [3, "2"],
      fields: ["id"],
    });
    expect(byIds.body.results).toEqual([{ id: 2 }, { id: 3 }]);
    const get = await request(
      "GET",
      "/indexes/read/documents?filter=genre%20%3D%20drama&fields=id",
    );
    expect(get.body.results).toEqual([{ id: 2 }]);
    expectError(
      await request("POST", "/indexes/read/documents/fetch", { limit: -1 }),
      400,
      "invalid_document_limit",
    );
    expectError(
      await request("POST", "/indexes/read/documents/fetch", { nope: true }),
      400,
      "bad_request",
    );
    expectError(
      await request("GET", "/indexes/read/documents?offset=z"),
      400,
      "invalid_document_offset",
    );
  });

  it("gets one document with fields, and answers document_not_found", async () => {
    const { request } = node();
    expect((await request("GET", "/indexes/read/documents/3?fields=title")).body).toEqual({
      title: "C",
    });
    expectError(await request("GET", "/indexes/read/documents/99"), 404, "document_not_found");
  });
});

describe("documents: deleting", () => {
  it("deletes one, a batch, by filter and all, with Meilisearch's task details", async () => {
    const { request, settle } = node();
    await settle(
      "POST",
      "/indexes/gone/documents",
      [1, 2, 3, 4, 5, 6].map((id) => ({ id, even: id % 2 === 0 })),
    );
    const one = await settle("DELETE", "/indexes/gone/documents/1?customMetadata=one");
    expect(one).toMatchObject({
      type: "documentDeletion",
      details: { providedIds: 1, deletedDocuments: 1, originalFilter: null },
      customMetadata: "one",
    });
    // values that are neither strings nor integers are taken, and match no document
    const batch = await settle("POST", "/indexes/gone/documents/delete-batch?customMetadata=b", [
      2,
      "3",
      42,
      { id: 4 },
      4.5,
    ]);
    expect(batch.details).toEqual({ providedIds: 5, deletedDocuments: 2, originalFilter: null });
    expect(batch.customMetadata).toBe("b");

    const unfilterable = await settle("POST", "/indexes/gone/documents/delete", {
      filter: "even = true",
    });
    expect(unfilterable.error.code).toBe("invalid_document_filter");
    await settle("PUT", "/indexes/gone/settings/filterable-attributes", ["even"]);
    const byFilter = await settle("POST", "/indexes/gone/documents/delete", {
      filter: "even = true",
    });
    expect(byFilter.details).toEqual({
      providedIds: 0,
      deletedDocuments: 2,
      originalFilter: '"even = true"',
    });
    const all = await settle("DELETE", "/indexes/gone/documents?customMetadata=all");
    expect(all).toMatchObject({ details: { deletedDocuments: 1 }, customMetadata: "all" });
    expect(Object.keys(all.details)).toEqual(["deletedDocuments"]);
    expect((await request("GET", "/indexes/gone/documents")).body.total).toBe(0);
  });

  it("takes customMetadata but not skipCreation on deletions", async () => {
    const { request } = node();
    for (const [method, path, body] of [
      ["DELETE", "/indexes/gone/documents", undefined],
      ["DELETE", "/indexes/gone/documents/1", undefined],
      ["POST", "/indexes/gone/documents/delete-batch", [1]],
      ["POST", "/indexes/gone/documents/delete", { filter: "even = true" }],
    ] as const) {
      const answer = await request(method, `${path}?skipCreation=true`, body);
      expectError(answer, 400, "bad_request");
      expect(answer.body.message).toBe(
        "Unknown parameter `skipCreation`: expected one of `customMetadata`",
      );
    }
  });

  it("rejects a delete by filter without a filter or with a malformed one", async () => {
    const { request } = node();
    expectError(
      await request("POST", "/indexes/gone/documents/delete", {}),
      400,
      "missing_document_filter",
    );
    expectError(
      await request("POST", "/indexes/gone/documents/delete", { filter: "even = " }),
      400,
      "invalid_document_filter",
    );
  });

  it("fails deletions on a missing index in the task", async () => {
    const task = await node().settle("DELETE", "/indexes/never-made/documents/1");
    expect(task).toMatchObject({ status: "failed", error: { code: "index_not_found" } });
  });
});
