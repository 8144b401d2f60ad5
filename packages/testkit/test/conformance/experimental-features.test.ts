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

  it("refuses CONTAINS and STARTS WITH filters until containsFilter is switched on", async () => {
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

    expectError(await search("name CONTAINS kefir"), 400, "feature_not_enabled");
    expectError(await search("name STARTS WITH ech"), 400, "feature_not_enabled");

    await request("PATCH", "/experimental-features", { containsFilter: true });
    const contains = await search("name CONTAINS kefir");
    expect(contains.status).toBe(200);
    expect(ids(contains)).toEqual([1]);
    expect(ids(await search("name STARTS WITH ech"))).toEqual([2]);
    expect(ids(await search("name NOT CONTAINS dog"))).toEqual([2]);

    await request("PATCH", "/experimental-features", { containsFilter: false });
    expectError(await search("name CONTAINS kefir"), 400, "feature_not_enabled");
    await request("PATCH", "/experimental-features", { containsFilter: initial });
  });
});
