import { describe, expect, it } from "vitest";
import { settings } from "../test/ranked-documents.js";
import { mergeSearch } from "./merge-search.js";
import { NodeAnswerError } from "./node-answer-error.js";
import type { Hit, NodeSearchAnswer } from "./types.js";

const words = (order: number, score: number) => ({ words: { order, score } });

function hit(id: number | string, score: number, details: object, fields: object = {}): Hit {
  return { id, ...fields, _miroir_shard: 3, _rankingScore: score, _rankingScoreDetails: details };
}

function answer(node: string, hits: Hit[], extra: object = {}): NodeSearchAnswer {
  return {
    node,
    body: { hits, query: "q", processingTimeMs: 2, estimatedTotalHits: hits.length, ...extra },
  };
}

const ids = (hits: readonly Hit[]) => hits.map((h) => h.id);

describe("mergeSearch ordering", () => {
  it("orders by the sort rule between relevance rules, where the ranking score alone would be wrong", () => {
    const details = (w: number, price: number, typo: number) => ({
      ...words(0, w),
      "price:asc": { order: 1, value: price },
      typo: { order: 2, score: typo },
    });
    const merged = mergeSearch({ q: "a", sort: ["price:asc"] }, settings(), [
      answer("n1", [hit(1, 0.9, details(1, 30, 1))]),
      answer("n2", [hit(2, 0.6, details(1, 10, 0.5)), hit(3, 0.3, details(0.5, 1, 1))]),
    ]);
    expect(ids(merged.hits)).toEqual([2, 1, 3]);
  });

  it("puts numbers before strings and missing values last, whatever the direction", () => {
    const sorted = (value: unknown) => ({ "tag:desc": { order: 0, value } });
    const merged = mergeSearch({ sort: ["tag:desc"] }, settings(), [
      answer("n1", [hit(1, 1, sorted(5)), hit(2, 1, sorted("b")), hit(3, 1, sorted(null))]),
      answer("n2", [hit(4, 1, sorted(7)), hit(5, 1, sorted("c")), hit(6, 1, sorted("a"))]),
    ]);
    expect(ids(merged.hits)).toEqual([4, 1, 5, 2, 6, 3]);
  });

  it("orders strings case-insensitively like one node, and shows the details' own spelling", () => {
    const titled = (value: string) => ({ "title:asc": { order: 0, value } });
    const merged = mergeSearch({ sort: ["title:asc"], showRankingScoreDetails: true }, settings(), [
      answer("n1", [hit(1, 1, titled("apple")), hit(2, 1, titled("Cherry"))]),
      answer("n2", [hit(3, 1, titled(" Banana")), hit(4, 1, titled("date"))]),
    ]);
    expect(ids(merged.hits)).toEqual([1, 3, 2, 4]);
    expect(merged.hits[1]?._rankingScoreDetails).toEqual(titled(" Banana"));
  });

  it("orders geo sorts by distance in their direction, hits without a position last", () => {
    const geo = (distance: number | null) => ({
      "_geoPoint(1, 2):asc": { order: 0, value: null, distance },
    });
    const merged = mergeSearch({}, settings(), [
      answer("n1", [hit(1, 1, geo(10)), hit(2, 1, geo(null))]),
      answer("n2", [hit(3, 1, geo(5)), hit(4, 1, geo(50))]),
    ]);
    expect(ids(merged.hits)).toEqual([3, 1, 4, 2]);
  });

  it("falls back to the ranking score when the details cannot be compared", () => {
    const merged = mergeSearch({}, settings(), [
      answer("n1", [hit(1, 0.5, { "a:asc": { order: 0, value: 1 } })]),
      answer("n2", [hit(2, 0.8, { "a:desc": { order: 0, value: 1 } })]),
      answer("n3", [hit(3, 0.7, words(0, 1))]),
    ]);
    expect(ids(merged.hits)).toEqual([2, 3, 1]);
  });

  it("ranks a hit whose details end first after the other, as Meilisearch's federation does", () => {
    const merged = mergeSearch({}, settings(), [
      answer("n1", [hit(1, 0.9, words(0, 1))]),
      answer("n2", [hit(2, 0.1, { ...words(0, 1), typo: { order: 1, score: 0.1 } })]),
    ]);
    expect(ids(merged.hits)).toEqual([2, 1]);
  });

  it("ranks first the hit with more rule groups left when rule kinds differ, then by score", () => {
    const merged = mergeSearch({}, settings(), [
      answer("n1", [hit(1, 0.9, { ...words(0, 1), typo: { order: 1, score: 1 } })]),
      answer("n2", [
        hit(2, 0.1, {
          "a:asc": { order: 0, value: 1 },
          words: { order: 1, score: 0.1 },
          "b:asc": { order: 2, value: 1 },
        }),
      ]),
    ]);
    expect(ids(merged.hits)).toEqual([2, 1]);
  });

  it("scores within float noise are equal, so the next rule decides", () => {
    const merged = mergeSearch({}, settings(), [
      answer("n1", [hit(1, 0.5, { ...words(0, 0.3), "p:asc": { order: 1, value: 9 } })]),
      answer("n2", [hit(2, 0.5, { ...words(0, 0.1 + 0.2), "p:asc": { order: 1, value: 1 } })]),
    ]);
    expect(ids(merged.hits)).toEqual([2, 1]);
  });

  it("skips a geo rule whose direction differs between hits", () => {
    const geo = (direction: string, distance: number, w: number) => ({
      [`_geoPoint(0, 0):${direction}`]: { order: 0, value: null, distance },
      words: { order: 1, score: w },
    });
    const merged = mergeSearch({}, settings(), [
      answer("n1", [hit(1, 0.5, geo("asc", 1, 0.2))]),
      answer("n2", [hit(2, 0.5, geo("desc", 1, 0.9))]),
    ]);
    expect(ids(merged.hits)).toEqual([2, 1]);
  });

  it("breaks exact ties by primary key, integers before strings", () => {
    const same = words(0, 1);
    const merged = mergeSearch({}, settings(), [
      answer("n1", [hit(10, 1, same), hit("b", 1, same)]),
      answer("n2", [hit(2, 1, same), hit("a", 1, same)]),
    ]);
    expect(ids(merged.hits)).toEqual([2, 10, "a", "b"]);
  });

  it("reads the details in their `order`, whatever order the keys arrive in", () => {
    const details = (price: number, w: number) => ({
      words: { order: 1, score: w },
      "price:desc": { order: 0, value: price },
    });
    const merged = mergeSearch({}, settings(), [
      answer("n1", [hit(1, 1, details(5, 1))]),
      answer("n2", [hit(2, 0.5, details(9, 0.5))]),
    ]);
    expect(ids(merged.hits)).toEqual([2, 1]);
  });

  it("orders a hybrid search by the global score alone, as Meilisearch mixes its two lists", () => {
    const merged = mergeSearch(
      { q: "a", hybrid: { embedder: "e", semanticRatio: 0.5 } },
      settings(),
      [
        answer("n1", [hit(1, 0.9, { vectorSort: { order: 0, similarity: 0.9 } })]),
        answer("n2", [hit(2, 0.95, words(0, 0.5))]),
      ],
    );
    expect(ids(merged.hits)).toEqual([2, 1]);
  });

  it("compares vector similarity and treats a skipped rule as ranking last", () => {
    const merged = mergeSearch({}, settings(), [
      answer("n1", [hit(1, 1, { vectorSort: { order: 0, similarity: 0.4 } })]),
      answer("n2", [hit(2, 1, { vectorSort: { order: 0, similarity: 0.9 } })]),
    ]);
    expect(ids(merged.hits)).toEqual([2, 1]);
    const skipped = mergeSearch({}, settings(), [
      answer("n1", [hit(1, 0, { skipped: { order: 0 } })]),
      answer("n2", [hit(2, 0.1, words(0, 0.1))]),
    ]);
    expect(ids(skipped.hits)).toEqual([2, 1]);
  });
});

describe("mergeSearch pagination and totals", () => {
  const lists = [
    answer(
      "n1",
      [1, 3, 5].map((id) => hit(id, 1 - id / 10, words(0, 1 - id / 10))),
    ),
    answer(
      "n2",
      [2, 4, 6].map((id) => hit(id, 1 - id / 10, words(0, 1 - id / 10))),
    ),
  ];

  it("applies the client's offset and limit after the merge and echoes them", () => {
    const merged = mergeSearch({ q: "x", offset: 1, limit: 3 }, settings(), lists);
    expect(ids(merged.hits)).toEqual([2, 3, 4]);
    expect(merged).toMatchObject({ query: "x", offset: 1, limit: 3, estimatedTotalHits: 6 });
  });

  it("answers in page mode with totalHits and totalPages recomputed", () => {
    const merged = mergeSearch({ page: 2, hitsPerPage: 4 }, settings(), lists);
    expect(ids(merged.hits)).toEqual([5, 6]);
    expect(merged).toMatchObject({ page: 2, hitsPerPage: 4, totalHits: 6, totalPages: 2 });
    expect(merged).not.toHaveProperty("estimatedTotalHits");
  });

  it("shows no hits on page 0 and no pages for hitsPerPage 0, still counting", () => {
    expect(mergeSearch({ page: 0 }, settings(), lists)).toMatchObject({ hits: [], totalHits: 6 });
    expect(mergeSearch({ hitsPerPage: 0 }, settings(), lists)).toMatchObject({
      hits: [],
      totalPages: 0,
      totalHits: 6,
    });
  });

  it("caps the window at maxTotalHits but reports the totals the nodes report, summed", () => {
    const capped = settings({ pagination: { maxTotalHits: 4 } });
    const merged = mergeSearch({ offset: 2, limit: 10 }, capped, lists);
    expect(ids(merged.hits)).toEqual([3, 4]);
    expect(merged).toMatchObject({ limit: 10, offset: 2, estimatedTotalHits: 6 });
    expect(mergeSearch({ page: 1, hitsPerPage: 4 }, capped, lists)).toMatchObject({
      totalHits: 6,
      totalPages: 2,
    });
  });

  it("names the merged answer with a node's requestUid, after the facets", () => {
    const named = lists.map((a, i) => ({
      ...a,
      body: { ...(a.body as object), requestUid: `uid-${i}`, facetDistribution: {} },
    }));
    const merged = mergeSearch({ facets: [] }, settings(), named);
    expect(merged.requestUid).toBe("uid-0");
    expect(Object.keys(merged).slice(-2)).toEqual(["facetDistribution", "requestUid"]);
  });

  it("reports the slowest node's processing time", () => {
    const slow = answer("n3", [], { processingTimeMs: 40 });
    expect(mergeSearch({}, settings(), [...lists, slow]).processingTimeMs).toBe(40);
  });

  it("lays the response out in Meilisearch's key order", () => {
    const withFacets = lists.map((a) => ({
      ...a,
      body: { ...(a.body as object), facetDistribution: { g: { x: 1 } }, facetStats: {} },
    }));
    expect(Object.keys(mergeSearch({ q: "a" }, settings(), withFacets))).toEqual([
      "hits",
      "query",
      "processingTimeMs",
      "limit",
      "offset",
      "estimatedTotalHits",
      "facetDistribution",
      "facetStats",
    ]);
    expect(Object.keys(mergeSearch({ page: 1 }, settings(), lists))).toEqual([
      "hits",
      "query",
      "processingTimeMs",
      "hitsPerPage",
      "page",
      "totalPages",
      "totalHits",
    ]);
  });
});

describe("mergeSearch facets", () => {
  const facetAnswer = (node: string, facetDistribution: object, facetStats: object = {}) =>
    answer(node, [], { facetDistribution, facetStats });

  it("sums counts per value and truncates alphabetically to maxValuesPerFacet", () => {
    const merged = mergeSearch(
      { facets: ["genre"] },
      settings({ faceting: { maxValuesPerFacet: 3, sortFacetValuesBy: { "*": "alpha" } } }),
      [
        facetAnswer("n1", { genre: { action: 2, comedy: 1, drama: 4 } }),
        facetAnswer("n2", { genre: { Action: 1, biopic: 3, comedy: 2 } }),
      ],
    );
    expect(merged.facetDistribution).toEqual({ genre: { action: 3, biopic: 3, comedy: 3 } });
    expect(Object.keys(merged.facetDistribution?.genre ?? {})).toEqual([
      "action",
      "biopic",
      "comedy",
    ]);
  });

  it("orders by count where sortFacetValuesBy says so, most frequent first", () => {
    const merged = mergeSearch(
      { facets: ["genre", "year"] },
      settings({
        faceting: { maxValuesPerFacet: 2, sortFacetValuesBy: { "*": "alpha", genre: "count" } },
      }),
      [
        facetAnswer("n1", { genre: { a: 1, b: 5 }, year: { "2001": 1, "1999": 1 } }),
        facetAnswer("n2", { genre: { c: 4, a: 2 }, year: { "10": 1 } }),
      ],
    );
    expect(Object.entries(merged.facetDistribution?.genre ?? {})).toEqual([
      ["b", 5],
      ["c", 4],
    ]);
    expect(merged.facetDistribution?.year).toEqual({ "10": 1, "1999": 1 });
  });

  it("keeps a value named __proto__ as a value, and groups spellings by their normalised form", () => {
    // Parsed from JSON, as a node's answer is: `__proto__` is an own key there.
    const fromNode = (text: string) => JSON.parse(text) as object;
    const merged = mergeSearch(
      { facets: ["tag"] },
      settings({ faceting: { maxValuesPerFacet: 10, sortFacetValuesBy: { "*": "alpha" } } }),
      [
        facetAnswer("n1", fromNode('{"tag":{" Zed":1,"__proto__":2,"b":1}}')),
        facetAnswer("n2", fromNode('{"tag":{"__proto__":3,"zed":4,"Ünï":1}}')),
      ],
    );
    const tag = merged.facetDistribution?.tag ?? {};
    expect(Object.entries(tag)).toEqual([
      ["__proto__", 5],
      ["b", 1],
      ["Ünï", 1],
      [" Zed", 5],
    ]);
    expect(JSON.stringify(merged.facetDistribution)).toBe(
      '{"tag":{"__proto__":5,"b":1,"Ünï":1," Zed":5}}',
    );
  });

  it("merges facet stats as min of minima and max of maxima", () => {
    const merged = mergeSearch({ facets: ["price"] }, settings(), [
      facetAnswer("n1", { price: {} }, { price: { min: 3, max: 9 } }),
      facetAnswer("n2", { price: {} }, { price: { min: 1, max: 5 }, year: { min: 2, max: 2 } }),
    ]);
    expect(merged.facetStats).toEqual({ price: { min: 1, max: 9 }, year: { min: 2, max: 2 } });
  });
});

describe("mergeSearch distinct", () => {
  it("keeps only the best hit of a distinct value that appears on several shards", () => {
    const merged = mergeSearch({}, settings({ distinctAttribute: "sku" }), [
      answer("n1", [hit(1, 0.9, words(0, 0.9), { sku: "a" }), hit(3, 0.5, words(0, 0.5))]),
      answer("n2", [
        hit(2, 0.8, words(0, 0.8), { sku: "a" }),
        hit(4, 0.4, words(0, 0.4), { sku: "b" }),
      ]),
    ]);
    expect(ids(merged.hits)).toEqual([1, 3, 4]);
  });

  it("uses the query's distinct over the index's, and drops a multi-valued hit already covered", () => {
    const merged = mergeSearch({ distinct: "tags" }, settings({ distinctAttribute: "sku" }), [
      answer("n1", [hit(1, 0.9, words(0, 0.9), { tags: ["x", "y"], sku: 1 })]),
      answer("n2", [
        hit(2, 0.8, words(0, 0.8), { tags: ["y", "z"], sku: 2 }),
        hit(3, 0.1, words(0, 0.1), { tags: "z", sku: 3 }),
      ]),
    ]);
    expect(ids(merged.hits)).toEqual([1, 3]);
  });
});

describe("mergeSearch hit cleanup", () => {
  it("strips _miroir_ fields everywhere, and scores the client did not ask for", () => {
    const node = hit(1, 0.5, words(0, 0.5), { title: "t", _geoDistance: 12, _vectors: { e: [1] } });
    node._formatted = { id: "1", title: "<em>t</em>", _miroir_shard: "3" };
    node._matchesPosition = { title: [{ start: 0, length: 1 }], _miroir_shard: [] };
    node._semanticScore = 0.3;
    const [merged] = mergeSearch({}, settings(), [answer("n1", [node])]).hits;
    expect(merged).toEqual({
      id: 1,
      title: "t",
      _geoDistance: 12,
      _vectors: { e: [1] },
      _formatted: { id: "1", title: "<em>t</em>" },
      _matchesPosition: { title: [{ start: 0, length: 1 }] },
      _semanticScore: 0.3,
    });
    expect(node._miroir_shard).toBe(3);
    expect(node._formatted).toHaveProperty("_miroir_shard");
  });

  it("keeps ranking score and details when the client asked for them", () => {
    const [merged] = mergeSearch(
      { showRankingScore: true, showRankingScoreDetails: true },
      settings(),
      [answer("n1", [hit(1, 0.5, words(0, 0.5))])],
    ).hits;
    expect(merged).toEqual({ id: 1, _rankingScore: 0.5, _rankingScoreDetails: words(0, 0.5) });
  });

  it("removes the attributes Miroir added to attributesToRetrieve, nested ones too", () => {
    const node = hit(1, 1, words(0, 1), { title: "t", author: { name: "n", born: 1 }, price: 3 });
    node._formatted = { title: "t", id: "1", price: "3" };
    const [merged] = mergeSearch(
      { attributesToRetrieve: ["title", "author.born"], sort: ["price:asc", "author.name:asc"] },
      settings(),
      [answer("n1", [node])],
    ).hits;
    expect(merged).toEqual({ title: "t", author: { born: 1 }, _formatted: { title: "t" } });
    expect(node.author).toEqual({ name: "n", born: 1 });
  });
});

describe("mergeSearch refuses malformed node answers", () => {
  const cases: Array<[string, unknown]> = [
    ["a body that is not an object", "oops"],
    ["hits that are not an array", { hits: {}, processingTimeMs: 1, estimatedTotalHits: 0 }],
    ["a hit that is not an object", { hits: [1], processingTimeMs: 1, estimatedTotalHits: 1 }],
    [
      "a hit without a ranking score",
      { hits: [{ id: 1 }], processingTimeMs: 1, estimatedTotalHits: 1 },
    ],
    [
      "details that are not an object",
      { hits: [{ _rankingScore: 1, _rankingScoreDetails: 3 }], processingTimeMs: 1, totalHits: 1 },
    ],
    ["no processing time", { hits: [], estimatedTotalHits: 0 }],
    ["no total", { hits: [], processingTimeMs: 1 }],
    [
      "a bad facet distribution",
      { hits: [], processingTimeMs: 1, totalHits: 0, facetDistribution: { g: { a: "1" } } },
    ],
    [
      "a non-object facet distribution",
      { hits: [], processingTimeMs: 1, totalHits: 0, facetDistribution: [] },
    ],
    [
      "bad facet stats",
      { hits: [], processingTimeMs: 1, totalHits: 0, facetStats: { p: { min: 1 } } },
    ],
    ["non-object facet stats", { hits: [], processingTimeMs: 1, totalHits: 0, facetStats: 2 }],
  ];
  for (const [what, body] of cases) {
    it(`reports ${what} as that node's failure`, () => {
      const good = answer("n1", []);
      const run = () => mergeSearch({}, settings(), [good, { node: "n2", body }]);
      expect(run).toThrow(NodeAnswerError);
      try {
        run();
      } catch (error) {
        expect(error).toMatchObject({ node: "n2", code: "miroir_invalid_node_answer" });
      }
    });
  }
});

describe("mergeSearch performance details", () => {
  const timed = (ms: number, details: Record<string, string>) =>
    answer("n", [], { processingTimeMs: ms, performanceDetails: details });
  const steps = { search: "2ms", "search > execute local search > evaluate filter": "1ms" };

  it("shows the slowest node's steps without the shard filter's when the client sent no filter", () => {
    const merged = mergeSearch({ q: "a" }, settings(), [
      timed(1, { search: "1ms" }),
      timed(5, steps),
    ]);
    expect(merged.performanceDetails).toEqual({ search: "2ms" });
  });

  it("keeps the filter step when the client filtered", () => {
    const merged = mergeSearch({ q: "a", filter: "x = 1" }, settings(), [timed(5, steps)]);
    expect(merged.performanceDetails).toEqual(steps);
  });
});
