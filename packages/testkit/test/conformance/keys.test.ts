import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { signTenantToken } from "../../src/index.js";
import { expectError, ISO_DATE, useNode } from "./node-under-test.js";

const node = useNode();

describe("API keys", () => {
  it("lists the default keys", async () => {
    const answer = await node().request("GET", "/keys");
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual(["results", "offset", "limit", "total"]);
    const names = answer.body.results.map((key: { name: string }) => key.name);
    expect(names).toEqual([
      "Default Search API Key",
      "Default Admin API Key",
      "Default Read-Only Admin API Key",
      "Default Chat API Key",
    ]);
    const search = answer.body.results.find(
      (key: { name: string }) => key.name === "Default Search API Key",
    );
    expect(search).toMatchObject({ actions: ["search"], indexes: ["*"], expiresAt: null });
  });

  it("creates a key whose value is the HMAC of its uid under the master key", async () => {
    const { request, masterKey } = node();
    const uid = "01b4bc42-eb33-4041-b481-254d00cce834";
    const answer = await request("POST", "/keys", {
      uid,
      name: "writer",
      description: "adds movies",
      actions: ["documents.add"],
      indexes: ["movies*"],
      expiresAt: null,
    });
    expect(answer.status).toBe(201);
    expect(Object.keys(answer.body)).toEqual([
      "name",
      "description",
      "key",
      "uid",
      "actions",
      "indexes",
      "expiresAt",
      "createdAt",
      "updatedAt",
    ]);
    expect(answer.body).toMatchObject({
      uid,
      name: "writer",
      actions: ["documents.add"],
      indexes: ["movies*"],
    });
    expect(answer.body.key).toBe(createHmac("sha256", masterKey).update(uid).digest("hex"));
    expect(answer.body.createdAt).toMatch(ISO_DATE);

    expect((await request("GET", `/keys/${uid}`)).body.key).toBe(answer.body.key);
    const listed = (await request("GET", "/keys?limit=2")).body;
    expect(listed.results.map((key: { uid: string }) => key.uid)[0]).toBe(uid);
    expect(listed).toMatchObject({ offset: 0, limit: 2, total: 5 });
    expect((await request("GET", `/keys/${answer.body.key}`)).body.uid).toBe(uid);
    expectError(
      await request("POST", "/keys", { uid, actions: ["search"], indexes: ["*"], expiresAt: null }),
      409,
      "api_key_already_exists",
    );
  });

  it("validates key creation with Meilisearch's codes", async () => {
    const { request } = node();
    const valid = { actions: ["search"], indexes: ["*"], expiresAt: null };
    expectError(
      await request("POST", "/keys", { indexes: ["*"], expiresAt: null }),
      400,
      "missing_api_key_actions",
    );
    expectError(
      await request("POST", "/keys", { actions: ["search"], expiresAt: null }),
      400,
      "missing_api_key_indexes",
    );
    expectError(
      await request("POST", "/keys", { actions: ["search"], indexes: ["*"] }),
      400,
      "missing_api_key_expires_at",
    );
    expectError(
      await request("POST", "/keys", { ...valid, actions: ["fly"] }),
      400,
      "invalid_api_key_actions",
    );
    expectError(
      await request("POST", "/keys", { ...valid, indexes: ["bad index"] }),
      400,
      "invalid_api_key_indexes",
    );
    expectError(
      await request("POST", "/keys", { ...valid, expiresAt: "2001-01-01" }),
      400,
      "invalid_api_key_expires_at",
    );
    expectError(
      await request("POST", "/keys", { ...valid, uid: "not-a-uuid" }),
      400,
      "invalid_api_key_uid",
    );
    expectError(await request("POST", "/keys", { ...valid, name: 7 }), 400, "invalid_api_key_name");
    expectError(await request("POST", "/keys", { ...valid, colour: "red" }), 400, "bad_request");
    const dated = await request("POST", "/keys", { ...valid, expiresAt: "2050-11-13T00:00:00Z" });
    expect(dated.body.expiresAt).toBe("2050-11-13T00:00:00Z");
    expectError(await request("GET", "/keys/unknown-key"), 404, "api_key_not_found");
  });

  it("updates only name and description, and deletes keys", async () => {
    const { request } = node();
    const created = await request("POST", "/keys", {
      actions: ["search"],
      indexes: ["*"],
      expiresAt: null,
    });
    const updated = await request("PATCH", `/keys/${created.body.uid}`, {
      name: "renamed",
      description: "d",
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: "renamed",
      description: "d",
      key: created.body.key,
    });
    expectError(
      await request("PATCH", `/keys/${created.body.uid}`, { actions: ["*"] }),
      400,
      "immutable_api_key_actions",
    );
    const deleted = await request("DELETE", `/keys/${created.body.uid}`);
    expect(deleted.status).toBe(204);
    expectError(await request("GET", `/keys/${created.body.uid}`), 404, "api_key_not_found");
  });
});

describe("authorization", () => {
  let searchOnly = "";
  let moviesWriter = "";
  let expired = "";
  beforeAll(async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes/movies/documents", [
      { id: 1, title: "Alien", owner: "ann" },
      { id: 2, title: "Brazil", owner: "bob" },
    ]);
    await settle("PUT", "/indexes/movies/settings/filterable-attributes", ["owner"]);
    await settle("POST", "/indexes/private/documents", [{ id: 1 }]);
    const make = async (body: object) => (await request("POST", "/keys", body)).body.key as string;
    searchOnly = await make({ actions: ["search"], indexes: ["movies"], expiresAt: null });
    moviesWriter = await make({ actions: ["documents.*"], indexes: ["mov*"], expiresAt: null });
    const soon = new Date(Date.now() + 300).toISOString();
    expired = await make({ actions: ["*"], indexes: ["*"], expiresAt: soon });
    await new Promise((resolve) => setTimeout(resolve, 350));
  });

  it("answers missing_authorization_header without a key and invalid_api_key with a wrong one", async () => {
    const { request } = node();
    expectError(
      await request("GET", "/indexes", undefined, { key: null }),
      401,
      "missing_authorization_header",
      "auth",
    );
    expectError(
      await request("GET", "/indexes", undefined, { key: "wrong" }),
      403,
      "invalid_api_key",
      "auth",
    );
  });

  it("enforces actions, index patterns and expiry", async () => {
    const { request } = node();
    const searched = await request(
      "POST",
      "/indexes/movies/search",
      { q: "" },
      { key: searchOnly },
    );
    expect(searched.status).toBe(200);
    expectError(
      await request("POST", "/indexes/private/search", {}, { key: searchOnly }),
      403,
      "invalid_api_key",
      "auth",
    );
    expectError(
      await request("GET", "/indexes/movies/documents", undefined, { key: searchOnly }),
      403,
      "invalid_api_key",
      "auth",
    );
    const read = await request("GET", "/indexes/movies/documents", undefined, {
      key: moviesWriter,
    });
    expect(read.status).toBe(200);
    expectError(
      await request("GET", "/indexes/movies/settings", undefined, { key: moviesWriter }),
      403,
      "invalid_api_key",
      "auth",
    );
    expectError(
      await request("GET", "/indexes", undefined, { key: expired }),
      403,
      "invalid_api_key",
      "auth",
    );
  });

  it("lets `*` manage keys, but not `*.get`, and keeps global actions off index-scoped keys", async () => {
    const { request } = node();
    const defaults = (await request("GET", "/keys")).body.results as {
      name: string;
      key: string;
    }[];
    const keyOf = (name: string) => defaults.find((key) => key.name === name)?.key as string;
    const admin = keyOf("Default Admin API Key");
    const readOnly = keyOf("Default Read-Only Admin API Key");
    expect((await request("GET", "/indexes", undefined, { key: admin })).status).toBe(200);
    expect((await request("GET", "/keys", undefined, { key: admin })).status).toBe(200);
    const byAdmin = await request(
      "POST",
      "/keys",
      { actions: ["*.get"], indexes: ["*"], expiresAt: null, description: "reads" },
      { key: admin },
    );
    expect(byAdmin.status).toBe(201);
    // the read-only admin key reads keys through its own `keys.get`, not through `*.get`
    expect((await request("GET", "/keys", undefined, { key: readOnly })).status).toBe(200);
    expectError(
      await request("GET", "/keys", undefined, { key: byAdmin.body.key }),
      403,
      "invalid_api_key",
      "auth",
    );
    expect((await request("GET", "/version", undefined, { key: byAdmin.body.key })).status).toBe(
      200,
    );
    expect(
      (await request("GET", "/indexes/movies/settings", undefined, { key: readOnly })).status,
    ).toBe(200);
    expectError(
      await request(
        "POST",
        "/keys",
        { actions: ["search"], indexes: ["*"], expiresAt: null },
        { key: readOnly },
      ),
      403,
      "invalid_api_key",
      "auth",
    );
    for (const action of ["keys.get", "dumps.create", "version", "webhooks.*", "tasks.compact"]) {
      const scoped = await request("POST", "/keys", {
        actions: ["search", action],
        indexes: ["movies*"],
        expiresAt: null,
      });
      expectError(scoped, 400, "index_scoped_api_key_with_global_action");
      expect(scoped.body.message).toBe(
        `cannot create index-scoped API key with global action \`"${action}"\`\n  - Hint: remove action \`"${action}"\` from the action list, or remove \`indexes\` to make the key global`,
      );
    }
    for (const action of ["*", "*.get", "tasks.*", "indexes.compact", "fields.post"]) {
      const scoped = await request("POST", "/keys", {
        actions: [action],
        indexes: ["movies*"],
        expiresAt: null,
      });
      expect(scoped.status).toBe(201);
      await request("DELETE", `/keys/${scoped.body.uid}`);
    }
    await request("DELETE", `/keys/${byAdmin.body.uid}`);
  });

  it("lists only the indexes a key may see", async () => {
    const { request } = node();
    const admin = (await request("GET", "/keys")).body.results.find(
      (key: { name: string }) => key.name === "Default Admin API Key",
    ).key;
    const all = await request("GET", "/indexes", undefined, { key: admin });
    expect(all.body.results.map((i: { uid: string }) => i.uid)).toEqual(
      expect.arrayContaining(["movies", "private"]),
    );
    const narrowKey = (
      await request("POST", "/keys", {
        actions: ["indexes.get"],
        indexes: ["movies"],
        expiresAt: null,
      })
    ).body.key;
    const narrow = await request("GET", "/indexes", undefined, { key: narrowKey });
    expect(narrow.body.results.map((i: { uid: string }) => i.uid)).toEqual(["movies"]);
  });

  it("shows a key limited to some indexes only their tasks, paged before they are narrowed", async () => {
    const { request, settle } = node();
    await settle("POST", "/tasks/cancel?uids=999999");
    await settle("POST", "/indexes/private/documents", [{ id: 2 }]);
    const all = await request("GET", "/tasks?limit=1000");
    const mine = all.body.results.filter((task: { indexUid: string | null }) =>
      ["movies"].includes(task.indexUid ?? ""),
    );
    const limitedKey = (
      await request("POST", "/keys", { actions: ["*"], indexes: ["mov*"], expiresAt: null })
    ).body.key;
    const asLimited = (path: string) => request("GET", path, undefined, { key: limitedKey });
    const uids = (answer: { body: { results: { uid: number }[] } }) =>
      answer.body.results.map((task) => task.uid);

    // Tasks of other indexes and tasks of no index are hidden; `total` counts them all.
    const listed = await asLimited("/tasks?limit=1000");
    expect(uids(listed)).toEqual(mine.map((task: { uid: number }) => task.uid));
    expect(listed.body.total).toBe(all.body.total);
    const cancelation = all.body.results.find(
      (task: { type: string }) => task.type === "taskCancelation",
    );
    expectError(await asLimited(`/tasks/${cancelation.uid}`), 404, "task_not_found");
    expectError(await asLimited(`/batches/${cancelation.batchUid}`), 404, "batch_not_found");

    // The newest task is of `private`: a one-task page holds nothing the key may see.
    const newest = await asLimited("/tasks?limit=1");
    expect(newest.body).toMatchObject({
      results: [],
      total: all.body.total,
      from: null,
      next: null,
    });
    const oldest = mine.at(-1) as { uid: number };
    const fromOldest = await asLimited(`/tasks?limit=1&from=${oldest.uid}`);
    expect(fromOldest.body).toMatchObject({ from: oldest.uid, next: null });
    expect(uids(fromOldest)).toEqual([oldest.uid]);

    // An `indexes: ["*"]` key sees everything, tasks of no index included.
    const everyIndex = (
      await request("POST", "/keys", { actions: ["tasks.get"], indexes: ["*"], expiresAt: null })
    ).body.key;
    const seen = await request("GET", "/tasks?limit=1000", undefined, { key: everyIndex });
    expect(uids(seen)).toEqual(uids(all));
  });

  it("accepts tenant tokens on search, ANDing the rule's filter with the query's", async () => {
    const { request } = node();
    const parent = (await request("GET", "/keys")).body.results.find(
      (key: { name: string }) => key.name === "Default Search API Key",
    );
    const token = signTenantToken(
      {
        apiKeyUid: parent.uid,
        searchRules: { movies: { filter: "owner = ann" } },
        exp: Math.floor(Date.now() / 1000) + 60,
      },
      parent.key,
    );
    const post = await request("POST", "/indexes/movies/search", { q: "" }, { key: token });
    expect(post.status).toBe(200);
    expect(post.body.hits.map((hit: { id: number }) => hit.id)).toEqual([1]);
    const get = await request("GET", "/indexes/movies/search?filter=owner%20%3D%20bob", undefined, {
      key: token,
    });
    expect(get.body.hits).toEqual([]);
    const multi = await request(
      "POST",
      "/multi-search",
      { queries: [{ indexUid: "movies", q: "" }] },
      { key: token },
    );
    expect(multi.body.results[0].hits.map((hit: { id: number }) => hit.id)).toEqual([1]);
    expectError(
      await request("POST", "/indexes/private/search", {}, { key: token }),
      403,
      "invalid_api_key",
      "auth",
    );
    expectError(
      await request("GET", "/indexes/movies/documents", undefined, { key: token }),
      403,
      "invalid_api_key",
      "auth",
    );

    const stale = signTenantToken(
      { apiKeyUid: parent.uid, searchRules: ["*"], exp: Math.floor(Date.now() / 1000) - 1 },
      parent.key,
    );
    expectError(
      await request("POST", "/indexes/movies/search", {}, { key: stale }),
      403,
      "invalid_api_key",
      "auth",
    );
    const forged = signTenantToken({ apiKeyUid: parent.uid, searchRules: ["*"] }, "not-the-key");
    expectError(
      await request("POST", "/indexes/movies/search", {}, { key: forged }),
      403,
      "invalid_api_key",
      "auth",
    );
    const wildcard = signTenantToken({ apiKeyUid: parent.uid, searchRules: ["mov*"] }, parent.key);
    const open = await request("POST", "/indexes/movies/search", {}, { key: wildcard });
    expect(open.body.hits).toHaveLength(2);
  });
});
