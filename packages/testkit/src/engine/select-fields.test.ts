import { describe, expect, it } from "vitest";
import { selectFields } from "./select-fields.js";

const doc = {
  id: 1,
  title: "Carol",
  meta: { year: 2015, studio: { name: "Killer", city: "NYC" } },
  cast: [
    { name: "Cate", role: "Carol" },
    { name: "Rooney", role: "Therese" },
  ],
};

describe("selectFields", () => {
  it("returns every attribute without fields or with *", () => {
    expect(selectFields(doc, undefined)).toEqual(doc);
    expect(selectFields(doc, ["*"])).toEqual(doc);
  });

  it("keeps the document's attribute order and the nesting of dotted paths", () => {
    expect(selectFields(doc, ["title", "id"])).toEqual({ id: 1, title: "Carol" });
    expect(Object.keys(selectFields(doc, ["title", "id"]))).toEqual(["id", "title"]);
    expect(selectFields(doc, ["meta.studio.name"])).toEqual({
      meta: { studio: { name: "Killer" } },
    });
    expect(selectFields(doc, ["meta"])).toEqual({ meta: doc.meta });
    expect(selectFields(doc, ["cast.name"])).toEqual({
      cast: [{ name: "Cate" }, { name: "Rooney" }],
    });
    expect(selectFields(doc, ["missing"])).toEqual({});
  });

  it("never shows what displayedAttributes hides", () => {
    expect(selectFields(doc, undefined, ["id", "meta.year"])).toEqual({
      id: 1,
      meta: { year: 2015 },
    });
    expect(selectFields(doc, ["title", "meta"], ["id", "meta.year"])).toEqual({
      meta: { year: 2015 },
    });
    expect(selectFields(doc, ["*"], ["meta.*"])).toEqual({ meta: doc.meta });
  });
});
