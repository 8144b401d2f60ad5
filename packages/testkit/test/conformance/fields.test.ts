import { describe, expect, it } from "vitest";
import { expectError, useNode } from "./node-under-test.js";

const node = useNode();

describe("index fields", () => {
  it("lists every field with what the settings make of it", async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes/described/documents", [
      { id: 1, title: "Dune", genre: "sf", price: 9 },
    ]);
    await settle("PATCH", "/indexes/described/settings", {
      filterableAttributes: ["genre"],
      sortableAttributes: ["price"],
      rankingRules: ["words", "price:desc"],
      distinctAttribute: "title",
    });
    const answer = await request("POST", "/indexes/described/fields", {});
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ offset: 0, limit: 20, total: 4 });
    const byName = Object.fromEntries(
      answer.body.results.map((field: { name: string }) => [field.name, field]),
    );
    expect(Object.keys(byName).sort()).toEqual(["genre", "id", "price", "title"]);
    expect(byName.genre).toMatchObject({
      displayed: { enabled: true },
      searchable: { enabled: true },
      filterable: { enabled: true, sortBy: "alpha", facetSearch: true, equality: true },
    });
    expect(byName.price).toMatchObject({
      sortable: { enabled: true },
      rankingRule: { enabled: true, order: "desc" },
      filterable: { enabled: false },
    });
    expect(byName.title).toMatchObject({ distinct: { enabled: true } });
  });

  it("filters and paginates fields", async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes/paged-fields/documents", [{ id: 1, a: 1, b: 2, c: 3 }]);
    await settle("PUT", "/indexes/paged-fields/settings/filterable-attributes", ["b"]);
    const filterable = await request("POST", "/indexes/paged-fields/fields", {
      filter: { filterable: true },
    });
    expect(filterable.body.results.map((field: { name: string }) => field.name)).toEqual(["b"]);
    const page = await request("POST", "/indexes/paged-fields/fields", { offset: 1, limit: 2 });
    expect(page.body).toMatchObject({ offset: 1, limit: 2, total: 4 });
    expect(page.body.results).toHaveLength(2);
  });

  it("answers index_not_found and refuses bad parameters", async () => {
    const { request } = node();
    expectError(await request("POST", "/indexes/no-such-index/fields", {}), 404, "index_not_found");
    await node().settle("POST", "/indexes", { uid: "checked-fields" });
    expectError(
      await request("POST", "/indexes/checked-fields/fields", { limit: -1 }),
      400,
      "invalid_index_limit",
    );
    expectError(
      await request("POST", "/indexes/checked-fields/fields", { filter: { displayed: "yes" } }),
      400,
      "invalid_index_fields_filter_displayed",
    );
  });
});
