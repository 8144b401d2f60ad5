import { describe, expect, it } from "vitest";
import { patternCovers } from "./attribute-pattern.js";
import type { Document } from "./document.js";
import { filterableCheck } from "./filter-match.js";
import { parseFilter } from "./filter-parser.js";
import { movieIndex } from "./fixtures/movies.js";
import { search } from "./search.js";
import { defaultSettings } from "./settings.js";

function ids(answer: { hits: Document[] }): unknown[] {
  return answer.hits.map((hit) => hit.id);
}

describe("attribute patterns", () => {
  it("read exact names, parents of nested attributes and * wildcards", () => {
    expect(patternCovers("doggos", "doggos.age")).toBe(true);
    expect(patternCovers("doggos.*", "doggos.age")).toBe(true);
    expect(patternCovers("*_id", "shop_id")).toBe(true);
    expect(patternCovers("*name*", "first_name_raw")).toBe(true);
    expect(patternCovers("doggos", "doggosity")).toBe(false);
    expect(patternCovers("title", "subtitle")).toBe(false);
  });

  it("let granular filterable rules switch filtering off", () => {
    const settings = {
      ...defaultSettings(),
      filterableAttributes: [
        {
          attributePatterns: ["genres"],
          features: { filter: { equality: false, comparison: false } },
        },
        { attributePatterns: ["price"], features: { filter: { equality: true } } },
      ],
    };
    expect(() =>
      filterableCheck(parseFilter("NOT price > 1"), settings, "invalid_search_filter"),
    ).not.toThrow();
    expect(() =>
      filterableCheck(parseFilter("price > 1 OR genres = a"), settings, "invalid_search_filter"),
    ).toThrow(
      "Attribute `genres` is not filterable. Available filterable attribute patterns are: `price`.",
    );
    expect(() =>
      filterableCheck(
        parseFilter("_geoBoundingBox([1, 2], [0, 1])"),
        settings,
        "invalid_search_filter",
      ),
    ).toThrow("Attribute `_geo/_geojson` is not filterable.");
  });
});

describe("search settings", () => {
  it("searches only attributesToSearchOn and rejects attributes that are not searchable", () => {
    expect(ids(search(movieIndex(), { q: "woman", attributesToSearchOn: ["title"] }))).toEqual([
      4, 2, 6,
    ]);
    const ordered = movieIndex({ searchableAttributes: ["title"] });
    expect(() => search(ordered, { q: "woman", attributesToSearchOn: ["overview"] })).toThrow(
      "Index `movies`: Attribute `overview` is not searchable. Available searchable attributes are: `title`.",
    );
  });

  it("scores any two words of one attribute as close with proximityPrecision byAttribute", () => {
    const docs = [{ id: 1, text: "young and very old and a woman" }];
    const details = (precision: "byWord" | "byAttribute") =>
      search(movieIndex({ proximityPrecision: precision }, docs), {
        q: "young woman",
        showRankingScoreDetails: true,
      }).hits[0]?._rankingScoreDetails as Record<string, { score: number }>;
    expect(details("byAttribute").proximity?.score).toBe(1);
    expect(details("byWord").proximity?.score).toBeLessThan(1);
  });
});

describe("experimental filters and distinct errors", () => {
  const docs = [
    { id: 1, doggo: "kefir the dog" },
    { id: 2, doggo: "echo" },
  ];

  it("refuses CONTAINS until the containsFilter feature is on, and takes STARTS WITH without it", () => {
    const index = movieIndex({ filterableAttributes: ["doggo"] }, docs);
    let message = "";
    try {
      search(index, { filter: "doggo != echo AND doggo CONTAINS kefir" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      "Using `CONTAINS` in a filter requires enabling the `contains filter` experimental feature. See https://github.com/orgs/meilisearch/discussions/763\n25:33 doggo != echo AND doggo CONTAINS kefir",
    );
    expect(ids(search(index, { filter: ["doggo NOT STARTS WITH ke"] }))).not.toContain(1);
    const enabled = { ...index, features: { containsFilter: true } };
    expect(ids(search(enabled, { filter: "doggo CONTAINS kefir" }))).toEqual([1]);
    expect(ids(search(enabled, { filter: "doggo STARTS WITH ech" }))).toEqual([2]);
  });

  it("names the filterable attributes when distinct is not one of them", () => {
    const index = movieIndex({ filterableAttributes: ["machin", "color"] }, docs);
    expect(() => search(index, { distinct: "doggo.truc" })).toThrow(
      "Index `movies`: Attribute `doggo.truc` is not filterable and thus, cannot be used as distinct attribute. Available filterable attributes patterns are: `color, machin`.",
    );
  });
});
