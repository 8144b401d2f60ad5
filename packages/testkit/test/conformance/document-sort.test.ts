import { beforeAll, describe, expect, it } from "vitest";
import { expectError, type Json, useNode } from "./node-under-test.js";

const node = useNode();

describe("sorted documents listings", () => {
  const products = [
    { id: "a", price: 3, name: "pear" },
    { id: "b", price: "cheap", name: "Apple" },
    { id: "c", name: "fig" },
    { id: "d", price: 1, name: "banana" },
    { id: "e", price: 3, name: "cherry" },
  ];

  beforeAll(async () => {
    const { settle } = node();
    await settle("POST", "/indexes/products/documents", products);
    await settle("PATCH", "/indexes/products/settings", { sortableAttributes: ["price", "name"] });
  });

  const listed = (answer: { body: Json }) =>
    answer.body.results.map((doc: { id: string }) => doc.id);

  it("sorts numbers before strings, missing values last, ties in insertion order", async () => {
    const { request } = node();
    const asc = await request("GET", "/indexes/products/documents?sort=price:asc");
    expect(listed(asc)).toEqual(["d", "a", "e", "b", "c"]);
    const desc = await request("POST", "/indexes/products/documents/fetch", {
      sort: ["price:desc", "name:asc"],
    });
    expect(listed(desc)).toEqual(["e", "a", "d", "b", "c"]);
    const names = await request("POST", "/indexes/products/documents/fetch", {
      sort: ["name:asc"],
      offset: 1,
      limit: 2,
    });
    expect(listed(names)).toEqual(["d", "e"]);
    expect(names.body).toMatchObject({ offset: 1, limit: 2, total: 5 });
  });

  it("refuses a sort on an attribute that is not sortable, or malformed", async () => {
    const { request } = node();
    expectError(
      await request("GET", "/indexes/products/documents?sort=id:asc"),
      400,
      "invalid_document_sort",
    );
    expectError(
      await request("POST", "/indexes/products/documents/fetch", { sort: ["price"] }),
      400,
      "invalid_document_sort",
    );
    expectError(
      await request("POST", "/indexes/products/documents/fetch", { sort: "price:asc" }),
      400,
      "invalid_document_sort",
    );
  });
});
