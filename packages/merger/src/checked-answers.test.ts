import { describe, expect, it } from "vitest";
import { settings } from "../test/ranked-documents.js";
import {
  checkDocumentsListing,
  checkFacetSearchResponse,
  checkFederatedResponse,
  checkMultiSearchResponse,
  checkSearchResponse,
  mergeCheckedDocumentsBrowse,
  mergeCheckedFacetSearch,
  mergeCheckedFederated,
  mergeCheckedMultiSearch,
  mergeCheckedSearch,
  mergeDocumentsBrowse,
  mergeFacetSearch,
  mergeFederated,
  mergeMultiSearch,
  mergeSearch,
  NodeAnswerError,
} from "./index.js";

const hit = (id: number, score: number, queriesPosition?: number) => ({
  id,
  _rankingScore: score,
  ...(queriesPosition === undefined
    ? {}
    : { _federation: { indexUid: "movies", queriesPosition, weightedRankingScore: score } }),
});
const search = (hits: object[]) => ({ hits, processingTimeMs: 2, estimatedTotalHits: hits.length });
const bodies = [search([hit(1, 0.9), hit(3, 0.4)]), search([hit(2, 0.7)])];
const answers = bodies.map((body, position) => ({ node: `n${position}`, body }));
const settingsOf = () => settings();

describe("checking node answers once, merging the checked answers", () => {
  it("merges checked search answers exactly like mergeSearch merges the raw ones", () => {
    const checked = answers.map(({ node, body }) => checkSearchResponse(node, body));
    expect(mergeCheckedSearch({ limit: 2 }, settings(), checked)).toEqual(
      mergeSearch({ limit: 2 }, settings(), answers),
    );
  });

  it("merges checked facet search answers exactly like mergeFacetSearch", () => {
    const facetAnswers = [
      { node: "n1", body: { facetHits: [{ value: "a", count: 2 }], processingTimeMs: 1 } },
      { node: "n2", body: { facetHits: [{ value: "a", count: 3 }], processingTimeMs: 4 } },
    ];
    const query = { facetName: "genre" };
    const checked = facetAnswers.map(({ node, body }) => checkFacetSearchResponse(node, body));
    expect(checked[0]?.counts).toEqual({ a: 2 });
    expect(mergeCheckedFacetSearch(query, settings(), checked)).toEqual(
      mergeFacetSearch(query, settings(), facetAnswers),
    );
  });

  it("merges checked multi-search answers exactly like mergeMultiSearch", () => {
    const queries = [{ indexUid: "movies" }, { indexUid: "movies", limit: 1 }];
    const multi = answers.map(({ node, body }) => ({ node, body: { results: [body, body] } }));
    const checked = multi.map(({ node, body }) => checkMultiSearchResponse(node, body, 2));
    expect(mergeCheckedMultiSearch(queries, settingsOf, checked)).toEqual(
      mergeMultiSearch(queries, settingsOf, multi),
    );
  });

  it("merges checked federated answers exactly like mergeFederated", () => {
    const request = { federation: { limit: 2 }, queries: [{ indexUid: "movies" }] };
    const federated = [
      { node: "n1", body: { ...search([hit(1, 0.9, 0)]), facetsByIndex: { movies: {} } } },
      { node: "n2", body: search([hit(2, 0.8, 0)]) },
    ];
    const checked = federated.map(({ node, body }) => checkFederatedResponse(node, body, 1));
    expect(mergeCheckedFederated(request, settingsOf, checked)).toEqual(
      mergeFederated(request, settingsOf, federated),
    );
  });

  it("merges checked documents listings exactly like mergeDocumentsBrowse", () => {
    const listings = [
      { node: "n1", body: { results: [{ id: 3 }, { id: 1 }], total: 2 } },
      { node: "n2", body: { results: [{ id: 2 }], total: 1 } },
    ];
    const checked = listings.map(({ node, body }) => checkDocumentsListing(node, body));
    expect(mergeCheckedDocumentsBrowse({ limit: 2 }, "id", checked)).toEqual(
      mergeDocumentsBrowse({ limit: 2 }, "id", listings),
    );
  });

  it("rejects a malformed answer of each kind with a NodeAnswerError naming the node", () => {
    const malformed: Array<() => unknown> = [
      () => checkSearchResponse("n7", { hits: [{ id: 1 }], processingTimeMs: 1 }),
      () => checkFacetSearchResponse("n7", { facetHits: [{ value: "a", count: -1 }] }),
      () => checkMultiSearchResponse("n7", { results: [search([])] }, 2),
      () => checkMultiSearchResponse("n7", { results: [{ hits: "no" }] }, 1),
      () => checkFederatedResponse("n7", search([hit(1, 0.5, 3)]), 1),
      () => checkDocumentsListing("n7", { results: [1], total: 1 }),
    ];
    for (const check of malformed) {
      expect(check).toThrow(NodeAnswerError);
      expect(check).toThrow(/n7/);
    }
  });
});
