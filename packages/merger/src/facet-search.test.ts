import { describe, expect, it } from "vitest";
import { settings } from "../test/ranked-documents.js";
import { mergeFacetSearch } from "./facet-search.js";
import { NodeAnswerError } from "./node-answer-error.js";

const answer = (node: string, facetHits: object[], processingTimeMs = 1) => ({
  node,
  body: { facetHits, facetQuery: "c", processingTimeMs },
});

describe("facet search", () => {
  const answers = [
    answer("n1", [
      { value: "comedy", count: 3 },
      { value: "crime", count: 1 },
    ]),
    answer(
      "n2",
      [
        { value: "Comedy", count: 2 },
        { value: "cartoon", count: 5 },
      ],
      9,
    ),
  ];

  it("sums counts per value across nodes and lists them alphabetically", () => {
    expect(mergeFacetSearch({ facetName: "genre", facetQuery: "c" }, settings(), answers)).toEqual({
      facetHits: [
        { value: "cartoon", count: 5 },
        { value: "comedy", count: 5 },
        { value: "crime", count: 1 },
      ],
      facetQuery: "c",
      processingTimeMs: 9,
    });
  });

  it("orders by count, the later value first among equal counts, and truncates", () => {
    const byCount = settings({
      faceting: { maxValuesPerFacet: 2, sortFacetValuesBy: { genre: "count" } },
    });
    const merged = mergeFacetSearch({ facetName: "genre" }, byCount, answers);
    expect(merged.facetHits).toEqual([
      { value: "comedy", count: 5 },
      { value: "cartoon", count: 5 },
    ]);
    expect(merged.facetQuery).toBeNull();
  });

  it("reports a node whose facet hits are malformed", () => {
    expect(() =>
      mergeFacetSearch({ facetName: "g" }, settings(), [
        { node: "n3", body: { facetHits: [{ value: 1 }] } },
      ]),
    ).toThrow(NodeAnswerError);
    expect(() =>
      mergeFacetSearch({ facetName: "g" }, settings(), [{ node: "n3", body: [] }]),
    ).toThrow(NodeAnswerError);
  });
});
