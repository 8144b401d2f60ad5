import { MeiliError } from "@miroir/errors";
import { describe, expect, it } from "vitest";
import { facetSearch } from "./facet-search.js";
import { movieIndex } from "./fixtures/movies.js";
import { search } from "./search.js";

function errorOf(action: () => unknown): MeiliError {
  try {
    action();
  } catch (error) {
    if (error instanceof MeiliError) return error;
    throw error;
  }
  throw new Error("expected a MeiliError");
}

describe("facet distribution", () => {
  const index = movieIndex({ filterableAttributes: ["genres", "price", "_geo"] });

  it("counts each value once per document, first-seen spelling, numbers as keys, with stats", () => {
    const answer = search(index, { facets: ["genres", "price"], limit: 0 });
    expect(answer.facetDistribution).toEqual({
      genres: { Action: 3, Drama: 3, History: 1, Romance: 1 },
      price: { "5": 1, "10": 1, "12": 1, "15": 1, "25": 1 },
    });
    expect(Object.keys(answer.facetDistribution?.genres ?? {})).toEqual([
      "Action",
      "Drama",
      "History",
      "Romance",
    ]);
    expect(answer.facetStats).toEqual({ price: { min: 5, max: 25 } });
  });

  it("counts only the documents the query and filter select", () => {
    const answer = search(index, { q: "woman", filter: "price > 11", facets: ["genres"] });
    expect(answer.facetDistribution).toEqual({ genres: { Action: 2, Drama: 1, History: 1 } });
    expect(answer.facetStats).toEqual({});
  });

  it("orders by count when asked and truncates to maxValuesPerFacet", () => {
    const byCount = movieIndex({
      filterableAttributes: ["genres"],
      faceting: { maxValuesPerFacet: 2, sortFacetValuesBy: { genres: "count" } },
    });
    const distribution = search(byCount, { facets: ["genres"] }).facetDistribution?.genres;
    expect(distribution).toEqual({ Action: 3, Drama: 3 });
  });

  it("expands * to every filterable attribute present", () => {
    const answer = search(movieIndex({ filterableAttributes: ["genres", "price"] }), {
      facets: ["*"],
    });
    expect(Object.keys(answer.facetDistribution ?? {}).sort()).toEqual(["genres", "price"]);
  });

  it("rejects facets on attributes that are not filterable, naming the index", () => {
    const one = errorOf(() =>
      search(movieIndex({ filterableAttributes: ["title"] }), { facets: ["doggo"] }),
    );
    expect(one.code).toBe("invalid_search_facets");
    expect(one.message).toBe(
      "Index `movies`: Invalid facet distribution: Attribute `doggo` is not filterable. Available filterable attributes patterns are: `title`.",
    );
    expect(errorOf(() => search(index, { facets: ["title", "overview"] })).message).toBe(
      "Index `movies`: Invalid facet distribution: Attributes `overview, title` are not filterable. Available filterable attributes patterns are: `_geo, genres, price`.",
    );
    expect(errorOf(() => search(movieIndex(), { facets: ["title"] })).message).toBe(
      "Index `movies`: Invalid facet distribution: Attribute `title` is not filterable. This index does not have configured filterable attributes.",
    );
  });
});

describe("facet search", () => {
  const index = movieIndex({ filterableAttributes: ["genres", "price"] });

  it("answers the values starting with facetQuery with their counts", () => {
    const answer = facetSearch(index, { facetName: "genres", facetQuery: "dr" });
    expect(answer.facetHits).toEqual([{ value: "Drama", count: 3 }]);
    expect(answer.facetQuery).toBe("dr");
    expect(Object.keys(answer)).toEqual(["facetHits", "facetQuery", "processingTimeMs"]);
  });

  it("forgives typos in facetQuery by its length, and only at the start of the value", () => {
    expect(facetSearch(index, { facetName: "genres", facetQuery: "dramq" }).facetHits).toEqual([
      { value: "Drama", count: 3 },
    ]);
    expect(facetSearch(index, { facetName: "genres", facetQuery: "rama" }).facetHits).toEqual([]);
    expect(facetSearch(index, { facetName: "genres", facetQuery: "romanse" }).facetHits).toEqual([
      { value: "Romance", count: 1 },
    ]);
  });

  it("restricts to the documents of q and filter, and answers every value without facetQuery", () => {
    const answer = facetSearch(index, { facetName: "genres", q: "woman", filter: "price > 11" });
    expect(answer.facetHits).toEqual([
      { value: "Action", count: 2 },
      { value: "Drama", count: 1 },
      { value: "History", count: 1 },
    ]);
    expect(answer.facetQuery).toBeNull();
  });

  it("rejects a missing or unsearchable facetName and a disabled facet search", () => {
    expect(errorOf(() => facetSearch(index, { facetQuery: "a" })).code).toBe(
      "missing_facet_search_facet_name",
    );
    const name = errorOf(() => facetSearch(index, { facetName: "title" }));
    expect(name.code).toBe("invalid_facet_search_facet_name");
    expect(name.message).toBe(
      "Attribute `title` is not facet-searchable. Available facet-searchable attributes patterns are: `genres, price`. To make it facet-searchable add it to the `filterableAttributes` index settings.",
    );
    const disabled = movieIndex({ filterableAttributes: ["genres"], facetSearch: false });
    expect(errorOf(() => facetSearch(disabled, { facetName: "genres" })).code).toBe(
      "facet_search_disabled",
    );
    // unknown fields are ignored, as Meilisearch's facet search does
    expect(facetSearch(index, { facetName: "genres", nope: 1 }).facetHits.length).toBeGreaterThan(
      0,
    );
    const granular = movieIndex({
      filterableAttributes: [{ attributePatterns: ["genres"], features: { facetSearch: false } }],
    });
    expect(errorOf(() => facetSearch(granular, { facetName: "genres" })).code).toBe(
      "invalid_facet_search_facet_name",
    );
  });
});
