import { describe, expect, it } from "vitest";
import { expectError, type Json, useNode } from "./node-under-test.js";

const node = useNode();

describe("experimental features", () => {
  it("lists every runtime feature as a boolean", async () => {
    const answer = await node().request("GET", "/experimental-features");
    expect(answer.status).toBe(200);
    for (const feature of ["metrics", "logsRoute", "editDocumentsByFunction", "network"]) {
      expect(typeof answer.body[feature]).toBe("boolean");
    }
  });

  it("changes only the features a PATCH names and answers with all of them", async () => {
    const { request } = node();
    const before = (await request("GET", "/experimental-features")).body;
    const patched = await request("PATCH", "/experimental-features", {
      containsFilter: !before.containsFilter,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ ...before, containsFilter: !before.containsFilter });
    expect((await request("GET", "/experimental-features")).body).toEqual(patched.body);
    await request("PATCH", "/experimental-features", { containsFilter: before.containsFilter });
  });

  it("refuses unknown features and values that are not booleans", async () => {
    const { request } = node();
    expectError(
      await request("PATCH", "/experimental-features", { warpDrive: true }),
      400,
      "bad_request",
    );
    expectError(
      await request("PATCH", "/experimental-features", { metrics: "yes" }),
      400,
      "bad_request",
    );
  });

  it("refuses CONTAINS on every filtering route until containsFilter is on; STARTS WITH needs no switch", async () => {
    const { request, settle } = node();
    const initial = (await request("GET", "/experimental-features")).body.containsFilter;
    await request("PATCH", "/experimental-features", { containsFilter: false });
    await settle("POST", "/indexes/pets/documents", [
      { id: 1, name: "kefir the dog" },
      { id: 2, name: "echo" },
    ]);
    await settle("PATCH", "/indexes/pets/settings", { filterableAttributes: ["name"] });
    const search = (filter: string) => request("POST", "/indexes/pets/search", { filter });
    const ids = (answer: Json) => answer.body.hits.map((hit: { id: number }) => hit.id);

    const refused = await search("name CONTAINS kefir");
    expectError(refused, 400, "feature_not_enabled");
    expect(refused.body.message).toBe(
      "Using `CONTAINS` in a filter requires enabling the `contains filter` experimental feature. See https://github.com/orgs/meilisearch/discussions/763\n6:14 name CONTAINS kefir",
    );
    expectError(await search("name NOT CONTAINS dog"), 400, "feature_not_enabled");
    expect(ids(await search("name STARTS WITH ech"))).toEqual([2]);
    const filter = "name CONTAINS dog";
    for (const [method, path, body] of [
      ["POST", "/indexes/pets/facet-search", { facetName: "name", filter }],
      ["POST", "/indexes/pets/documents/fetch", { filter }],
      ["POST", "/indexes/pets/documents/delete", { filter }],
      ["GET", `/indexes/pets/documents?filter=${encodeURIComponent(filter)}`, undefined],
      ["GET", `/indexes/pets/search?filter=${encodeURIComponent(filter)}`, undefined],
    ] as const) {
      expectError(await request(method, path, body), 400, "feature_not_enabled");
    }
    const multi = await request("POST", "/multi-search", {
      queries: [{ indexUid: "pets", filter }],
    });
    expectError(multi, 400, "feature_not_enabled");
    expect(multi.body.message).toMatch(/^Inside `\.queries\[0\]`: Using `CONTAINS`/);

    await request("PATCH", "/experimental-features", { containsFilter: true });
    const contains = await search("name CONTAINS kefir");
    expect(contains.status).toBe(200);
    expect(ids(contains)).toEqual([1]);
    expect(ids(await search("name NOT CONTAINS dog"))).toEqual([2]);
    const fetched = await request("POST", "/indexes/pets/documents/fetch", { filter });
    expect(fetched.body.results).toEqual([{ id: 1, name: "kefir the dog" }]);

    await request("PATCH", "/experimental-features", { containsFilter: false });
    expectError(await search("name CONTAINS kefir"), 400, "feature_not_enabled");
    await request("PATCH", "/experimental-features", { containsFilter: initial });
  });
});
