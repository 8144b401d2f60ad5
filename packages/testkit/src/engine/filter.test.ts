import { MeiliError } from "@miroir/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Document } from "./document.js";
import { filterableCheck, matchFilter } from "./filter-match.js";
import { parseFilter } from "./filter-parser.js";
import { defaultSettings } from "./settings.js";

const docs: Document[] = [
  {
    id: 1,
    title: "Carol",
    genre: ["Drama", "Romance"],
    price: 10,
    meta: { year: 2015 },
    note: null,
  },
  { id: 2, title: "Wonder Woman", genre: ["Action"], price: 25.5, meta: { year: 2017 }, note: "" },
  { id: 3, title: "Life of Pi", genre: [], price: 7, meta: { year: 2012 }, tags: [] },
  { id: 4, title: "Mad Max", genre: "action", published: true, _geo: { lat: 48.85, lng: 2.35 } },
  {
    id: 5,
    title: "Café",
    reviews: [{ stars: 5 }, { stars: 2 }],
    _geo: { lat: "45.76", lng: "4.83" },
  },
];

function ids(filter: string | Array<string | string[]>): number[] {
  const parsed = parseFilter(filter);
  return docs.filter((doc) => matchFilter(doc, parsed)).map((doc) => doc.id as number);
}

function errorOf(action: () => unknown): MeiliError {
  try {
    action();
  } catch (error) {
    if (error instanceof MeiliError) return error;
    throw error;
  }
  throw new Error("expected a MeiliError");
}

describe("the filter grammar", () => {
  it("compares numbers numerically with every comparison operator", () => {
    expect(ids("price = 10")).toEqual([1]);
    expect(ids("price > 10")).toEqual([2]);
    expect(ids("price >= 10")).toEqual([1, 2]);
    expect(ids("price < 10")).toEqual([3]);
    expect(ids("price <= 10")).toEqual([1, 3]);
    expect(ids("price 7 TO 10")).toEqual([1, 3]);
  });

  it("matches strings case-insensitively and an array when any element matches", () => {
    expect(ids("genre = action")).toEqual([2, 4]);
    expect(ids('genre = "DRAMA"')).toEqual([1]);
    expect(ids("title = 'wonder woman'")).toEqual([2]);
    expect(ids("genre IN [romance, Action]")).toEqual([1, 2, 4]);
  });

  it("counts documents without the attribute as different with != and NOT IN", () => {
    expect(ids("price != 10")).toEqual([2, 3, 4, 5]);
    expect(ids("genre NOT IN [action]")).toEqual([1, 3, 5]);
  });

  it("reads nested attributes, also through arrays of objects", () => {
    expect(ids("meta.year > 2014")).toEqual([1, 2]);
    expect(ids("reviews.stars = 2")).toEqual([5]);
  });

  it("answers EXISTS, IS NULL, IS EMPTY and their negations", () => {
    expect(ids("note EXISTS")).toEqual([1, 2]);
    expect(ids("note NOT EXISTS")).toEqual([3, 4, 5]);
    expect(ids("note IS NULL")).toEqual([1]);
    expect(ids("note IS NOT NULL")).toEqual([2, 3, 4, 5]);
    expect(ids("genre IS EMPTY OR note IS EMPTY OR tags IS EMPTY")).toEqual([2, 3]);
    expect(ids("tags IS NOT EMPTY")).toEqual([1, 2, 4, 5]);
  });

  it("combines with AND, OR, NOT and parentheses, AND binding tighter than OR", () => {
    expect(ids("price = 10 OR price = 7 AND genre = drama")).toEqual([1]);
    expect(ids("(price = 10 OR price = 7) AND NOT genre = drama")).toEqual([3]);
    expect(ids("NOT (price > 5)")).toEqual([4, 5]);
  });

  it("takes the array form: outer entries ANDed, inner arrays ORed", () => {
    expect(ids([["genre = action", "genre = drama"], "price > 9"])).toEqual([1, 2]);
    expect(ids([])).toEqual([1, 2, 3, 4, 5]);
    expect(ids("  ")).toEqual([1, 2, 3, 4, 5]);
  });

  it("reads quoted values with escapes, booleans as strings, CONTAINS and STARTS WITH", () => {
    const quoted = parseFilter('title = "say \\"hi\\""');
    expect(matchFilter({ title: 'Say "hi"' }, quoted)).toBe(true);
    expect(ids("published = true")).toEqual([4]);
    expect(ids("title CONTAINS woman")).toEqual([2]);
    expect(ids("title STARTS WITH mad")).toEqual([4]);
    expect(ids("title NOT STARTS WITH mad AND title NOT CONTAINS o")).toEqual([5]);
  });

  it("filters on _geo with _geoRadius and _geoBoundingBox", () => {
    expect(ids("_geoRadius(48.8566, 2.3522, 2000)")).toEqual([4]);
    expect(ids("_geoRadius(46, 3, 500000)")).toEqual([4, 5]);
    expect(ids("_geoBoundingBox([49, 3], [45, 2])")).toEqual([4]);
    expect(ids("_geoBoundingBox([50, 5], [45, 2])")).toEqual([4, 5]);
  });

  it("rejects bad syntax with Meilisearch's messages and context line", () => {
    const cases: Array<[string, string]> = [
      [
        "title",
        "Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `CONTAINS`, `NOT CONTAINS`, `STARTS WITH`, `NOT STARTS WITH`, `_geoRadius`, or `_geoBoundingBox` at `title`.\n1:6 title",
      ],
      [
        "a = 1 b = 2",
        "Found unexpected characters at the end of the filter: `b = 2`. You probably forgot an `OR` or an `AND` rule.\n7:12 a = 1 b = 2",
      ],
      [
        "(a = 1",
        "Expression `(a = 1` is missing the following closing delimiter: `)`.\n1:7 (a = 1",
      ],
      ["a = ", "Was expecting a value but instead got nothing.\n5:5 a = "],
      ["a IN 1", "Expected `[` after `IN` keyword.\n6:7 a IN 1"],
      [
        "a = AND",
        "Was expecting a value but instead got `AND`, which is a reserved keyword. To use `AND` as a field name or a value, surround it by quotes.\n5:8 a = AND",
      ],
      [
        "_geoRadius(1, 2)",
        "The `_geoRadius` filter expects three arguments: `_geoRadius(latitude, longitude, radius)`.\n1:17 _geoRadius(1, 2)",
      ],
      [
        "a = _geoRadius(1, 2, 3)",
        "The `_geoRadius` filter is an operation and can't be used as a value.\n5:24 a = _geoRadius(1, 2, 3)",
      ],
    ];
    for (const [filter, message] of cases) {
      const error = errorOf(() => parseFilter(filter));
      expect(error.code).toBe("invalid_search_filter");
      expect(error.status).toBe(400);
      expect(error.type).toBe("invalid_request");
      expect(error.message).toBe(message);
    }
    expect(errorOf(() => parseFilter("_geo = 1")).message).toMatch(/^`_geo` is a reserved keyword/);
    expect(errorOf(() => parseFilter("a IN [1, 2")).message).toMatch(/^Expected matching `]`/);
    const deep = `${"(".repeat(250)}a = 1${")".repeat(250)}`;
    expect(errorOf(() => parseFilter(deep)).message).toMatch(
      /^The filter exceeded the maximum depth limit/,
    );
    expect(matchFilter({ a: 1 }, parseFilter(`${"(".repeat(150)}a = 1${")".repeat(150)}`))).toBe(
      true,
    );
    expect(errorOf(() => parseFilter('a = "open')).message).toMatch(/closing delimiter: `"`/);
    expect(errorOf(() => parseFilter("_geoBoundingBox([1, 2])")).message).toMatch(/two pairs/);
    expect(errorOf(() => parseFilter("_geoRadius(91, 2, 3)")).message).toMatch(
      /^Bad latitude `91`/,
    );
    expect(errorOf(() => parseFilter([true] as never)).message).toBe(
      "Invalid syntax for the filter parameter: `expected String, [String], found: true`.",
    );
    expect(errorOf(() => parseFilter([[1]] as never)).message).toBe(
      "Invalid syntax for the filter parameter: `expected String, found: 1`.",
    );
  });
});

describe("filterable attributes", () => {
  const settings = { ...defaultSettings(), filterableAttributes: ["genre", "meta", "*_id"] };

  it("accepts attributes covered by a pattern, nested children included", () => {
    expect(() =>
      filterableCheck(
        parseFilter("genre = a AND meta.year = 1 AND shop_id = 2"),
        settings,
        "invalid_search_filter",
      ),
    ).not.toThrow();
  });

  it("names the attribute, the sorted patterns and the position in the error", () => {
    const error = errorOf(() =>
      filterableCheck(parseFilter("genre = a AND price = 12"), settings, "invalid_document_filter"),
    );
    expect(error.code).toBe("invalid_document_filter");
    expect(error.message).toBe(
      "Attribute `price` is not filterable. Available filterable attribute patterns are: `*_id`, `genre`, `meta`.\n15:20 genre = a AND price = 12",
    );
  });

  it("says when the index has no filterable attributes, prefixed by the index in search", () => {
    const error = errorOf(() =>
      filterableCheck(
        parseFilter("_geoRadius(1, 2, 3)"),
        defaultSettings(),
        "invalid_search_filter",
        "movies",
      ),
    );
    expect(error.message).toBe(
      "Index `movies`: Attribute `_geo/_geojson` is not filterable. This index does not have configured filterable attributes.\n12:13 _geoRadius(1, 2, 3)",
    );
  });
});

describe("filter properties", () => {
  const value = fc.oneof(
    fc.integer({ min: -5, max: 5 }),
    fc.constantFrom("a", "B", "c"),
    fc.constant(null),
  );
  const doc = fc.record({ x: value, y: fc.array(value, { maxLength: 3 }) }, { requiredKeys: [] });
  const condition = fc.oneof(
    fc
      .tuple(
        fc.constantFrom("x", "y"),
        fc.constantFrom("=", "!=", ">", ">=", "<", "<="),
        fc.integer({ min: -5, max: 5 }),
      )
      .map(([attribute, operator, number]) => `${attribute} ${operator} ${number}`),
    fc.constantFrom("x EXISTS", "y IS EMPTY", "x IS NULL", "x IN [a, 1]", "y = b", "x -2 TO 2"),
  );
  const expression = fc.array(condition, { minLength: 1, maxLength: 4 }).chain((conditions) =>
    fc
      .array(fc.constantFrom(" AND ", " OR "), {
        minLength: conditions.length - 1,
        maxLength: conditions.length - 1,
      })
      .map((joins) =>
        conditions.reduce((text, next, index) => `${text}${joins[index - 1]}${next}`),
      ),
  );

  it("a filter and its NOT partition the documents", () => {
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 12 }), expression, (documents, filter) => {
        const kept = parseFilter(filter);
        const negated = parseFilter(`NOT (${filter})`);
        for (const document of documents) {
          expect(matchFilter(document, kept)).toBe(!matchFilter(document, negated));
        }
      }),
    );
  });

  it("the array form means the same as the string joined with AND and OR", () => {
    fc.assert(
      fc.property(
        fc.array(doc, { maxLength: 12 }),
        condition,
        condition,
        condition,
        (documents, a, b, c) => {
          const array = parseFilter([[a, b], c]);
          const text = parseFilter(`(${a} OR ${b}) AND ${c}`);
          for (const document of documents) {
            expect(matchFilter(document, array)).toBe(matchFilter(document, text));
          }
        },
      ),
    );
  });
});
