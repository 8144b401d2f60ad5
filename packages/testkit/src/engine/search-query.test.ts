import { MeiliError } from "@miroir/errors";
import { describe, expect, it } from "vitest";
import { parseSearchQuery, searchQueryFromParams } from "./search-query.js";

function errorOf(action: () => unknown): MeiliError {
  try {
    action();
  } catch (error) {
    if (error instanceof MeiliError) return error;
    throw error;
  }
  throw new Error("expected a MeiliError");
}

describe("POST search bodies", () => {
  it("keeps every valid field", () => {
    const raw = {
      q: "a",
      offset: 1,
      limit: 2,
      attributesToRetrieve: ["x"],
      filter: ["a = 1"],
      sort: ["b:asc"],
      facets: ["c"],
      distinct: "d",
      showRankingScore: true,
      showRankingScoreDetails: false,
      matchingStrategy: "all",
      attributesToSearchOn: ["e"],
      rankingScoreThreshold: 0.5,
    };
    expect(parseSearchQuery(raw)).toEqual(raw);
    expect(parseSearchQuery({ q: null, filter: null, page: 2, hitsPerPage: 3 })).toEqual({
      page: 2,
      hitsPerPage: 3,
    });
  });

  it("rejects each bad value with its own code", () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [
        { q: 1 },
        "invalid_search_q",
        "Invalid value type at `.q`: expected a string, but found a positive integer: `1`",
      ],
      [
        { limit: "2" },
        "invalid_search_limit",
        'Invalid value type at `.limit`: expected a positive integer, but found a string: `"2"`',
      ],
      [
        { offset: -1 },
        "invalid_search_offset",
        "Invalid value type at `.offset`: expected a positive integer, but found a negative integer: `-1`",
      ],
      [
        { page: 1.5 },
        "invalid_search_page",
        "Invalid value type at `.page`: expected a positive integer, but found a number: `1.5`",
      ],
      [
        { hitsPerPage: true },
        "invalid_search_hits_per_page",
        "Invalid value type at `.hitsPerPage`: expected a positive integer, but found a boolean: `true`",
      ],
      [
        { attributesToRetrieve: "x" },
        "invalid_search_attributes_to_retrieve",
        'Invalid value type at `.attributesToRetrieve`: expected an array, but found a string: `"x"`',
      ],
      [
        { sort: [1] },
        "invalid_search_sort",
        "Invalid value type at `.sort[0]`: expected a string, but found a positive integer: `1`",
      ],
      [
        { facets: {} },
        "invalid_search_facets",
        "Invalid value type at `.facets`: expected an array, but found an object: `{}`",
      ],
      [
        { distinct: [] },
        "invalid_search_distinct",
        "Invalid value type at `.distinct`: expected a string, but found an array: `[]`",
      ],
      [
        { filter: 3 },
        "invalid_search_filter",
        "Invalid syntax for the filter parameter: `expected String, Array, found: 3`.",
      ],
      [
        { showRankingScore: "yes" },
        "invalid_search_show_ranking_score",
        'Invalid value type at `.showRankingScore`: expected a boolean, but found a string: `"yes"`',
      ],
      [
        { matchingStrategy: "most" },
        "invalid_search_matching_strategy",
        "Unknown value `most` at `.matchingStrategy`: expected one of `last`, `all`, `frequency`",
      ],
      [
        { rankingScoreThreshold: 2 },
        "invalid_search_ranking_score_threshold",
        "Invalid value at `.rankingScoreThreshold`: the value of `rankingScoreThreshold` is invalid, expected a float between `0.0` and `1.0`.",
      ],
      [
        { hybrid: { embedder: "x", semanticRatio: 2 } },
        "invalid_search_semantic_ratio",
        "Invalid value at `.hybrid.semanticRatio`: the value of `semanticRatio` is invalid, expected a float between `0.0` and `1.0`.",
      ],
      [
        { vector: [1, 2] },
        "missing_search_hybrid",
        "Invalid request: missing `hybrid` parameter when `vector` is present.",
      ],
    ];
    for (const [raw, code, message] of cases) {
      const error = errorOf(() => parseSearchQuery(raw));
      expect({ code: error.code, message: error.message, status: error.status }).toEqual({
        code,
        message,
        status: 400,
      });
    }
  });

  it("rejects unknown fields and non-objects with bad_request", () => {
    const unknown = errorOf(() => parseSearchQuery({ qq: "a" }));
    expect(unknown.code).toBe("bad_request");
    expect(unknown.message).toMatch(/^Unknown field `qq`: expected one of `q`, `vector`, /);
    expect(errorOf(() => parseSearchQuery([])).code).toBe("bad_request");
  });
});

describe("GET search parameters", () => {
  it("reads comma lists, numbers, booleans, sort with geo points and JSON filters", () => {
    const params = new URLSearchParams({
      q: "hello",
      limit: "5",
      offset: "2",
      attributesToRetrieve: "title, id",
      facets: "genre",
      sort: "_geoPoint(1, 2):asc,price:desc",
      showRankingScore: "true",
      filter: '["a = 1", ["b = 2", "c = 3"]]',
      rankingScoreThreshold: "0.25",
    });
    expect(searchQueryFromParams(params)).toEqual({
      q: "hello",
      limit: 5,
      offset: 2,
      attributesToRetrieve: ["title", "id"],
      facets: ["genre"],
      sort: ["_geoPoint(1, 2):asc", "price:desc"],
      showRankingScore: true,
      filter: ["a = 1", ["b = 2", "c = 3"]],
      rankingScoreThreshold: 0.25,
    });
    expect(searchQueryFromParams(new URLSearchParams({ filter: "a = 1" })).filter).toBe("a = 1");
    expect(searchQueryFromParams(new URLSearchParams({ filter: "[broken" })).filter).toBe(
      "[broken",
    );
  });

  it("rejects values it cannot parse and unknown parameters", () => {
    const limit = errorOf(() => searchQueryFromParams(new URLSearchParams({ limit: "ten" })));
    expect(limit.code).toBe("invalid_search_limit");
    expect(limit.message).toBe(
      "Invalid value in parameter `limit`: could not parse `ten` as a positive integer",
    );
    const flag = errorOf(() =>
      searchQueryFromParams(new URLSearchParams({ showRankingScore: "1" })),
    );
    expect(flag.code).toBe("invalid_search_show_ranking_score");
    expect(flag.message).toBe(
      "Invalid value in parameter `showRankingScore`: could not parse `1` as a boolean, expected either `true` or `false`",
    );
    const threshold = errorOf(() =>
      searchQueryFromParams(new URLSearchParams({ rankingScoreThreshold: "x" })),
    );
    expect(threshold.code).toBe("invalid_search_ranking_score_threshold");
    const unknown = errorOf(() => searchQueryFromParams(new URLSearchParams({ foo: "1" })));
    expect(unknown.code).toBe("bad_request");
    expect(unknown.message).toMatch(/^Unknown parameter `foo`: expected one of `q`, /);
  });
});
