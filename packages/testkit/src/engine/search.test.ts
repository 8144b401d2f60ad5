import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Document } from "./document.js";
import { movieIndex } from "./fixtures/movies.js";
import { search } from "./search.js";
import { parseSearchQuery } from "./search-query.js";

function ids(answer: { hits: Document[] }): unknown[] {
  return answer.hits.map((hit) => hit.id);
}

describe("keyword search", () => {
  it("answers in Meilisearch's shape and key order in offset mode", () => {
    const answer = search(movieIndex(), { q: "woman" });
    expect(Object.keys(answer)).toEqual([
      "hits",
      "query",
      "processingTimeMs",
      "limit",
      "offset",
      "estimatedTotalHits",
    ]);
    expect(answer).toMatchObject({ query: "woman", limit: 20, offset: 0, estimatedTotalHits: 4 });
    expect(ids(answer)).toEqual([4, 2, 6, 1]);
  });

  it("ranks an exact attribute before a document that only starts with the query", () => {
    const answer = search(movieIndex(), { q: "woman", showRankingScoreDetails: true });
    const exactness = answer.hits.map(
      (hit) =>
        (hit._rankingScoreDetails as Record<string, { matchType: string }>).exactness?.matchType,
    );
    expect(exactness[0]).toBe("exactMatch");
  });

  it("treats the last word as a prefix and tolerates typos by word length", () => {
    expect(ids(search(movieIndex(), { q: "wond" }))).toEqual([2]);
    expect(ids(search(movieIndex(), { q: "wond " }))).toEqual([]);
    expect(ids(search(movieIndex(), { q: "wonedr woman" }))).toEqual([2]);
    expect(ids(search(movieIndex(), { q: "krol " }))).toEqual([]);
    expect(ids(search(movieIndex(), { q: "princes " }))).toEqual([2]);
    expect(ids(search(movieIndex(), { q: "lfie " }))).toEqual([]);
  });

  it("honours typoTolerance switches", () => {
    const typo = { q: "princes " };
    const disabled = movieIndex({
      typoTolerance: { ...movieIndex().settings.typoTolerance, enabled: false },
    });
    expect(ids(search(disabled, typo))).toEqual([]);
    const onWord = movieIndex({
      typoTolerance: { ...movieIndex().settings.typoTolerance, disableOnWords: ["princes"] },
    });
    expect(ids(search(onWord, typo))).toEqual([]);
    const onAttribute = movieIndex({
      typoTolerance: { ...movieIndex().settings.typoTolerance, disableOnAttributes: ["overview"] },
    });
    expect(ids(search(onAttribute, typo))).toEqual([]);
  });

  it("strips diacritics and case, drops stop words and expands synonyms", () => {
    const index = movieIndex({ stopWords: ["the"], synonyms: { femme: ["woman"] } });
    expect(ids(search(index, { q: "WÖMAN" }))).toEqual([4, 2, 6, 1]);
    expect(ids(search(index, { q: "the king" }))).toEqual([6]);
    expect(ids(search(index, { q: "femme " }))).toEqual([4, 2, 6, 1]);
  });

  it("drops words from the end with the last strategy and requires all with `all`", () => {
    expect(ids(search(movieIndex(), { q: "woman princess" }))).toEqual([2, 4, 6, 1]);
    expect(ids(search(movieIndex(), { q: "woman princess", matchingStrategy: "all" }))).toEqual([
      2,
    ]);
  });

  it("ranks closer words first with proximity and earlier attributes first with attributeRank", () => {
    const docs = [
      { id: "far", text: "young and very old and a woman" },
      { id: "near", text: "young woman" },
    ];
    expect(ids(search(movieIndex({}, docs), { q: "young woman" }))).toEqual(["near", "far"]);
    const ordered = movieIndex({ searchableAttributes: ["title", "overview"] });
    const answer = search(ordered, { q: "world", showRankingScoreDetails: true });
    expect(ids(answer)).toEqual([5, 2]);
    const details = answer.hits[0]?._rankingScoreDetails as Record<string, { score: number }>;
    expect(details.attributeRank?.score).toBe(0.5);
    expect(ids(search(ordered, { q: "woman" }))).toEqual([4, 2, 6, 1]);
    expect(ids(search(movieIndex({ searchableAttributes: ["overview"] }), { q: "carol" }))).toEqual(
      [],
    );
  });

  it("builds _rankingScore from the rule ranks as a mixed-radix number", () => {
    const answer = search(movieIndex(), {
      q: "wonder woman",
      showRankingScore: true,
      showRankingScoreDetails: true,
    });
    const hit = answer.hits[0] as Document;
    expect(hit.id).toBe(2);
    expect(hit._rankingScore).toBe(1);
    expect(hit._rankingScoreDetails).toEqual({
      words: { order: 0, matchingWords: 2, maxMatchingWords: 2, score: 1 },
      typo: { order: 1, typoCount: 0, maxTypoCount: 2, score: 1 },
      proximity: { order: 2, score: 1 },
      attributeRank: { order: 3, score: 1 },
      wordPosition: { order: 4, score: 1 },
      exactness: { order: 5, matchType: "exactMatch", score: 1 },
    });
    const partial = search(movieIndex(), {
      q: "woman fire",
      showRankingScore: true,
      showRankingScoreDetails: true,
    });
    const carol = partial.hits.find((h) => h.id === 1) as Document;
    const details = carol._rankingScoreDetails as Record<string, Record<string, number>>;
    expect(details.words).toEqual({ order: 0, matchingWords: 1, maxMatchingWords: 2, score: 0.5 });
    // words 1/2, typo 2/2, proximity 1/1, attributeRank 1/1, wordPosition 9/11, exactness 1/3 then 2/2
    const expected = ((((1 - 1) * 2 + 2 - 1) * 1 + 1 - 1) * 1 + 1 - 1) * 11 + 9;
    const withExactness = ((expected - 1) * 3 + 1 - 1) * 2 + 2;
    expect(carol._rankingScore).toBeCloseTo(withExactness / (2 * 2 * 11 * 3 * 2), 12);
  });

  it("names the legacy attribute rule with its two sub-scores", () => {
    const index = movieIndex({ rankingRules: ["words", "attribute", "exactness"] });
    const hit = search(index, { q: "woman", showRankingScoreDetails: true }).hits[0] as Document;
    expect(Object.keys(hit._rankingScoreDetails as object)).toEqual([
      "words",
      "attribute",
      "exactness",
    ]);
    expect((hit._rankingScoreDetails as Record<string, object>).attribute).toEqual({
      order: 1,
      attributeRankingOrderScore: 1,
      queryWordDistanceScore: 1,
      score: 1,
    });
  });
});

describe("placeholder search, sort and ties", () => {
  it("keeps insertion order when every rule ties, with a score of 1", () => {
    const answer = search(movieIndex(), { showRankingScore: true, showRankingScoreDetails: true });
    expect(ids(answer)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(answer.hits[0]?._rankingScore).toBe(1);
    expect(answer.hits[0]?._rankingScoreDetails).toEqual({});
  });

  it("sorts by the query's sort between relevance rules, missing values last", () => {
    const index = movieIndex({ sortableAttributes: ["price", "title"] });
    expect(ids(search(index, { sort: ["price:asc"] }))).toEqual([3, 1, 4, 6, 2, 5]);
    expect(ids(search(index, { sort: ["price:desc"] }))).toEqual([2, 6, 4, 1, 3, 5]);
    const answer = search(index, {
      q: "woman",
      sort: ["price:desc"],
      showRankingScoreDetails: true,
    });
    expect(ids(answer)).toEqual([2, 6, 4, 1]);
    const first = answer.hits[0] as Document;
    expect((first._rankingScoreDetails as Record<string, unknown>)["price:desc"]).toEqual({
      order: 4,
      value: 25,
    });
  });

  it("applies custom attr:asc ranking rules even without a query sort", () => {
    const index = movieIndex({ rankingRules: ["title:asc", "words"] });
    const answer = search(index, { showRankingScoreDetails: true });
    expect(ids(answer)).toEqual([1, 3, 5, 6, 4, 2]);
    expect(answer.hits[0]?._rankingScoreDetails).toEqual({
      "title:asc": { order: 0, value: "Carol" },
    });
  });

  it("sorts by distance with _geoPoint and answers _geoDistance", () => {
    const index = movieIndex({ sortableAttributes: ["_geo"] });
    const answer = search(index, {
      sort: ["_geoPoint(45.75, 4.85):asc"],
      showRankingScoreDetails: true,
      attributesToRetrieve: ["id"],
    });
    expect(ids(answer)).toEqual([5, 4, 1, 2, 3, 6]);
    expect(answer.hits[0]?._geoDistance).toBe(1909);
    const details = answer.hits[0]?._rankingScoreDetails as Record<
      string,
      { value: unknown; distance: number }
    >;
    expect(details["_geoPoint(45.75, 4.85):asc"]?.value).toEqual({ lat: 45.76, lng: 4.83 });
    expect(answer.hits[2]?._geoDistance).toBeUndefined();
  });

  it("rejects a sort on an attribute that is not sortable, or without the sort rule", () => {
    expect(() =>
      search(movieIndex({ sortableAttributes: ["price"] }), { sort: ["title:asc"] }),
    ).toThrow(
      "Index `movies`: Attribute `title` is not sortable. Available sortable attributes are: `price`.",
    );
    expect(() => search(movieIndex(), { sort: ["title:asc"] })).toThrow(
      "This index does not have configured sortable attributes.",
    );
    const noSortRule = movieIndex({ sortableAttributes: ["price"], rankingRules: ["words"] });
    expect(() => search(noSortRule, { sort: ["price:asc"] })).toThrow(
      "Index `movies`: You must specify where `sort` is listed in the rankingRules setting to use the sort parameter at search time.",
    );
    expect(() => search(movieIndex(), { sort: ["price"] })).toThrow(
      "Invalid syntax for the sort parameter: expected expression ending by `:asc` or `:desc`, found `price`.",
    );
    expect(() => search(movieIndex(), { sort: ["_geo:asc"] })).toThrow("reserved keyword");
    expect(() => search(movieIndex(), { sort: ["_geoPoint(1):asc"] })).toThrow(
      "Invalid syntax for the geo parameter",
    );
  });
});

describe("filters, pagination and hit formatting", () => {
  it("filters with filterable attributes and rejects the others", () => {
    const index = movieIndex({ filterableAttributes: ["genres", "price"] });
    expect(ids(search(index, { filter: "genres = action AND price > 20" }))).toEqual([2]);
    expect(
      ids(search(index, { q: "woman", filter: [["price < 11", "genres = history"]] })),
    ).toEqual([6, 1]);
    expect(() => search(index, { filter: "title = x" })).toThrow(
      "Index `movies`: Attribute `title` is not filterable. Available filterable attribute patterns are: `genres`, `price`.\n1:6 title = x",
    );
  });

  it("pages with page and hitsPerPage; maxTotalHits bounds the hits reached, not the totals", () => {
    const answer = search(movieIndex(), { page: 2, hitsPerPage: 4 });
    expect(Object.keys(answer)).toEqual([
      "hits",
      "query",
      "processingTimeMs",
      "hitsPerPage",
      "page",
      "totalPages",
      "totalHits",
    ]);
    expect(answer).toMatchObject({ hitsPerPage: 4, page: 2, totalPages: 2, totalHits: 6 });
    expect(ids(answer)).toEqual([5, 6]);
    expect(search(movieIndex(), { page: 0 }).hits).toEqual([]);
    expect(search(movieIndex(), { hitsPerPage: 0 }).totalPages).toBe(0);
    const capped = movieIndex({ pagination: { maxTotalHits: 3 } });
    expect(search(capped, { offset: 2, limit: 5 })).toMatchObject({ estimatedTotalHits: 6 });
    expect(ids(search(capped, { offset: 2, limit: 5 }))).toEqual([3]);
    expect(search(capped, { page: 1, hitsPerPage: 2 })).toMatchObject({
      totalHits: 6,
      totalPages: 3,
    });
  });

  it("retrieves only asked and displayed attributes", () => {
    const index = movieIndex({ displayedAttributes: ["id", "title", "price"] });
    expect(search(index, { q: "carol" }).hits).toEqual([{ id: 1, title: "Carol", price: 10 }]);
    expect(search(index, { q: "carol", attributesToRetrieve: ["title", "overview"] }).hits).toEqual(
      [{ title: "Carol" }],
    );
  });

  it("keeps one hit per distinct value, from the query or the setting", () => {
    const index = movieIndex({ filterableAttributes: ["genres"] });
    expect(ids(search(index, { distinct: "genres" }))).toEqual([1, 2]);
    expect(ids(search(movieIndex({ distinctAttribute: "genres" }), {}))).toEqual([1, 2]);
    expect(ids(search(movieIndex({ distinctAttribute: "price" }), { sort: [] }))).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    expect(() => search(movieIndex(), { distinct: "genres" })).toThrow(
      "Index `movies`: Attribute `genres` is not filterable and thus, cannot be used as distinct attribute.",
    );
  });

  it("drops hits under rankingScoreThreshold from hits and totals", () => {
    const all = search(movieIndex(), { q: "woman", showRankingScore: true }).hits;
    const threshold = ((all[0]?._rankingScore as number) + (all[1]?._rankingScore as number)) / 2;
    const answer = search(movieIndex(), {
      q: "woman",
      rankingScoreThreshold: threshold,
      showRankingScore: true,
    });
    expect(ids(answer)).toEqual([4]);
    expect(answer.estimatedTotalHits).toBe(1);
  });
});

describe("ranking properties", () => {
  const word = fc.constantFrom(
    "woman",
    "wonder",
    "young",
    "world",
    "fire",
    "blood",
    "carol",
    "sea",
    "princess",
  );
  const text = fc.array(word, { minLength: 1, maxLength: 8 }).map((words) => words.join(" "));
  const doc = fc.record({ title: text, overview: text, price: fc.integer({ min: 0, max: 50 }) });

  it("a hit's score and details depend only on that document and the query", () => {
    fc.assert(
      fc.property(
        fc.array(doc, { minLength: 1, maxLength: 8 }),
        fc.array(doc, { maxLength: 8 }),
        fc.array(word, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (corpus, others, words, ordered) => {
          const settings = ordered ? { searchableAttributes: ["title", "overview"] } : {};
          const mine = corpus.map((d, i) => ({ id: `a${i}`, ...d }));
          const unrelated = others.map((d, i) => ({ id: `b${i}`, ...d }));
          const query = {
            q: words.join(" "),
            showRankingScore: true,
            showRankingScoreDetails: true,
            limit: 100,
          };
          const alone = search(movieIndex(settings, mine), query).hits;
          const mixed = new Map(
            search(movieIndex(settings, [...unrelated, ...mine]), query).hits.map((hit) => [
              hit.id,
              hit,
            ]),
          );
          for (const hit of alone) expect(mixed.get(hit.id)).toEqual(hit);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("orders hits by descending score when no sort rule takes part", () => {
    fc.assert(
      fc.property(
        fc.array(doc, { minLength: 1, maxLength: 10 }),
        fc.array(word, { minLength: 1, maxLength: 3 }),
        (corpus, words) => {
          const documents = corpus.map((d, i) => ({ id: i, ...d }));
          const hits = search(movieIndex({}, documents), {
            q: words.join(" "),
            showRankingScore: true,
            limit: 100,
          }).hits;
          for (let i = 1; i < hits.length; i++) {
            expect(hits[i - 1]?._rankingScore as number).toBeGreaterThanOrEqual(
              hits[i]?._rankingScore as number,
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("parsed queries", () => {
  it("answers a parsed POST body like the typed query", () => {
    const raw = { q: "woman", limit: 2, showRankingScore: true };
    expect(search(movieIndex(), parseSearchQuery(raw)).hits).toEqual(
      search(movieIndex(), raw).hits,
    );
  });
});
