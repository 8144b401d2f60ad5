import { describe, expect, it } from "vitest";
import type { Document } from "./document.js";
import { movieIndex } from "./fixtures/movies.js";
import { search } from "./search.js";

function ids(answer: { hits: Document[] }): unknown[] {
  return answer.hits.map((hit) => hit.id);
}

const docs = movieIndex({}, [
  { id: 1, title: "Wonder Woman", overview: "an amazon princess" },
  { id: 2, title: "Woman of Wonder", overview: "a wonder. woman" },
  { id: 3, title: "The Woman King", overview: "wonder woman returns" },
  { id: 4, title: "Mad Max", overview: "a world of fire" },
]);

describe("phrases and negative keywords in q", () => {
  it("matches a quoted phrase only where its words follow each other in one attribute", () => {
    expect(ids(search(docs, { q: '"wonder woman"' }))).toEqual([1, 3]);
    expect(ids(search(docs, { q: '"wonder woman" returns' }))).toEqual([3, 1]);
    expect(ids(search(docs, { q: '"woman wonder' }))).toEqual([]);
  });

  it("ranks a phrase that fills an attribute as an exact match and highlights its words", () => {
    const answer = search(docs, {
      q: '"wonder woman"',
      showRankingScoreDetails: true,
      attributesToHighlight: ["title"],
    });
    const details = answer.hits[0]?._rankingScoreDetails as Record<string, Record<string, unknown>>;
    expect(details.words).toEqual({ order: 0, matchingWords: 1, maxMatchingWords: 1, score: 1 });
    expect(details.exactness?.matchType).toBe("exactMatch");
    const first = answer.hits[0] as { _formatted: Document };
    expect(first._formatted.title).toBe("<em>Wonder</em> <em>Woman</em>");
  });

  it("does not forgive typos or complete prefixes inside quotes", () => {
    expect(ids(search(docs, { q: '"wondr"' }))).toEqual([]);
    expect(ids(search(docs, { q: '"wond"' }))).toEqual([]);
    expect(ids(search(docs, { q: "wondr" })).sort()).toEqual([1, 2, 3]);
  });

  it('excludes documents holding a -word or a -"phrase", also in a placeholder search', () => {
    expect(ids(search(docs, { q: "woman -king" })).sort()).toEqual([1, 2]);
    expect(ids(search(docs, { q: 'woman -"wonder woman"' }))).toEqual([2]);
    expect(ids(search(docs, { q: "-woman" }))).toEqual([4]);
    expect(ids(search(docs, { q: "x-men" })).length).toBe(0);
  });
});
