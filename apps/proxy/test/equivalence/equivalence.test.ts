import type { ClusterOptions } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";
import { FILM_SETTINGS, MOVIE_SETTINGS, movies, SHOW_SETTINGS } from "./data-set.js";
import {
  type Comparison,
  expectEquivalent,
  expectSameFields,
  type Window,
  windowOf,
} from "./equivalent-answers.js";
import {
  distinctCases,
  type EquivalenceCase,
  equivalenceCases,
  type IndexUid,
  type SearchBody,
} from "./queries.js";
import { type SingleNode, startSingleNode } from "./single-node.js";

const SETTINGS: Record<IndexUid, object> = {
  movies: MOVIE_SETTINGS,
  films: FILM_SETTINGS,
  shows: SHOW_SETTINGS,
};
const DOCUMENTS = movies(5_000);
const CASES = equivalenceCases(350);
/** Numbered after CASES, so that both share the single node's answer caches. */
const DISTINCT_CASES = distinctCases(60);
const UNCAPPED = Number.MAX_SAFE_INTEGER;

const CLUSTERS: ReadonlyArray<[string, ClusterOptions]> = [
  ["3 nodes, S=16, RF=1", { nodes: 3, shards: 16, rf: 1 }],
  ["4 nodes, S=64, RF=2", { nodes: 4, shards: 64, rf: 2 }],
  ["2 groups × 3 nodes, RF=1", { nodes: 6, groups: 2, shards: 64, rf: 1 }],
];

type Answer = Record<string, unknown>;
type Hit = Record<string, unknown>;

let single: SingleNode;
const answers = new Map<number, Promise<Answer>>();
const keys = new Map<number, Promise<string[][]>>();

beforeAll(async () => {
  single = await startSingleNode();
  for (const [uid, settings] of Object.entries(SETTINGS)) {
    await single.load(uid, DOCUMENTS, settings);
  }
}, 120_000);

afterAll(async () => {
  await single?.stop();
});

const withIndex = (body: SearchBody): SearchBody => ({ indexUid: "movies", ...body });
/** A document of one index: both indexes hold the same ids. */
const idOf = (hit: Hit) => {
  const federation = hit._federation as { indexUid?: string } | undefined;
  return federation?.indexUid === undefined ? hit.id : `${federation.indexUid}/${hit.id}`;
};
const searchPath = (testCase: EquivalenceCase) =>
  `/indexes/${testCase.kind === "search" ? testCase.index : "movies"}/search`;
/**
 * Where a document is looked up: `shows` applies its distinct attribute to every search,
 * so its documents are looked up in `movies`, which ranks and shows them alike.
 */
const lookupPath = (testCase: EquivalenceCase) =>
  searchPath(testCase).replace("/indexes/shows/", "/indexes/movies/");
const lookupIndex = (query: SearchBody): SearchBody =>
  query.indexUid === "shows" ? { ...query, indexUid: "movies" } : query;
const hitsOf = (answer: Answer | undefined): Hit[] => (answer?.hits as Hit[] | undefined) ?? [];
/** The ids of an answer's hits, plus one no document has, so that the list is never empty. */
const idsOf = (answer: Answer | undefined) => [
  ...new Set([...hitsOf(answer).map((hit) => hit.id), -1]),
];
/**
 * How a hit ranks. A string sort value ranks by its normalised form while the details show
 * the document's spelling: "Anchor" and "anchor" are a tie, in either order.
 */
const detailsKey = (hit: Hit) =>
  JSON.stringify(hit._rankingScoreDetails, (key, value: unknown) =>
    key === "value" && typeof value === "string" ? value.trim().toLowerCase() : value,
  );
const federationKey = (hit: Hit) =>
  String((hit._federation as { weightedRankingScore: number }).weightedRankingScore);

function withoutWindow(body: SearchBody): SearchBody {
  const { offset: _o, limit: _l, page: _p, hitsPerPage: _h, ...rest } = body;
  return rest;
}

/** The index's `maxTotalHits`, which clamps a search's window. */
const capOf = (indexUid: unknown) =>
  indexUid === "films" ? FILM_SETTINGS.pagination.maxTotalHits : 1000;

/** The same query from position 0 to the end of the client's window, with score details. */
function rankedQuery(body: SearchBody, indexUid: unknown = body.indexUid): SearchBody {
  const window = windowOf(body, capOf(indexUid));
  return {
    ...withoutWindow(body),
    offset: 0,
    limit: window.offset + window.limit,
    showRankingScoreDetails: true,
  };
}

/** The same query restricted to the documents `ids`, to learn how each one ranks and shows. */
function lookupQuery(body: SearchBody, ids: readonly unknown[], federated: boolean): SearchBody {
  const { distinct: _d, facets: _f, ...rest } = withoutWindow(body);
  const pin = `id IN [${ids.join(", ")}]`;
  const filter = rest.filter;
  const restricted = {
    ...rest,
    filter:
      filter === undefined
        ? pin
        : typeof filter === "string"
          ? `(${filter}) AND ${pin}`
          : [...(filter as unknown[]), pin],
  };
  return federated
    ? restricted
    : { ...restricted, offset: 0, limit: ids.length, showRankingScoreDetails: true };
}

function visibleHit(body: SearchBody, hit: Hit): Hit {
  const visible = { ...hit };
  if (body.showRankingScoreDetails !== true) delete visible._rankingScoreDetails;
  if (body.showRankingScore !== true) delete visible._rankingScore;
  return visible;
}

/** The single node's answer to a case, computed once for every cluster. */
function answerOf(index: number, testCase: EquivalenceCase): Promise<Answer> {
  return cached(answers, index, () => {
    if (testCase.kind === "search") return single.call(searchPath(testCase), testCase.body);
    if (testCase.kind === "multi") {
      return single.call("/multi-search", { queries: testCase.body.queries.map(withIndex) });
    }
    const { federation, queries } = testCase.body;
    return single.call("/multi-search", { federation, queries: queries.map(withIndex) });
  });
}

/**
 * The single node's ranking key at every position up to the end of each query's window;
 * asked only when Miroir's hits differ from the single node's (ties in another order).
 */
function keysOf(index: number, testCase: EquivalenceCase): Promise<string[][]> {
  return cached(keys, index, async () => {
    if (testCase.kind === "search") {
      const ranked = await single.call(
        searchPath(testCase),
        rankedQuery(testCase.body, testCase.index),
      );
      return [(ranked.hits as Hit[]).map(detailsKey)];
    }
    if (testCase.kind === "multi") {
      const ranked = await single.call("/multi-search", {
        queries: testCase.body.queries.map((query) => withIndex(rankedQuery(query))),
      });
      return (ranked.results as Answer[]).map((result) => (result.hits as Hit[]).map(detailsKey));
    }
    const { federation, queries } = testCase.body;
    const window = windowOf(federation, UNCAPPED);
    const ranked = await single.call("/multi-search", {
      federation: { offset: 0, limit: window.offset + window.limit },
      queries: queries.map(withIndex),
    });
    return [(ranked.hits as Hit[]).map(federationKey)];
  });
}

function cached<T>(
  cache: Map<number, Promise<T>>,
  index: number,
  compute: () => Promise<T>,
): Promise<T> {
  let pending = cache.get(index);
  if (pending === undefined) {
    pending = compute();
    cache.set(index, pending);
  }
  return pending;
}

type RankingById = Map<unknown, { key: string; hit: Hit }>;

/** How the single node ranks and shows each document Miroir returned. */
async function rankingOf(testCase: EquivalenceCase, got: Answer[]): Promise<RankingById[]> {
  const rankings: RankingById[] = [];
  const byId = (body: SearchBody, hits: Hit[], key: (hit: Hit) => string, federated: boolean) =>
    new Map(
      hits.map((hit) => [
        idOf(hit),
        { key: key(hit), hit: federated ? hit : visibleHit(body, hit) },
      ]),
    );
  if (testCase.kind === "search") {
    const ids = idsOf(got[0]);
    const answer = await single.call(lookupPath(testCase), lookupQuery(testCase.body, ids, false));
    return [byId(testCase.body, answer.hits as Hit[], detailsKey, false)];
  }
  if (testCase.kind === "multi") {
    const queries = testCase.body.queries;
    const answer = await single.call("/multi-search", {
      queries: queries.map((query, at) =>
        lookupIndex(withIndex(lookupQuery(query, idsOf(got[at]), false))),
      ),
    });
    (answer.results as Answer[]).forEach((result, at) => {
      rankings.push(byId(queries[at] as SearchBody, result.hits as Hit[], detailsKey, false));
    });
    return rankings;
  }
  const ids = idsOf(got[0]);
  // Both indexes hold every id: each query may match each of them.
  const answer = await single.call("/multi-search", {
    federation: { limit: ids.length * testCase.body.queries.length },
    queries: testCase.body.queries.map((query) => withIndex(lookupQuery(query, ids, true))),
  });
  return [byId({}, answer.hits as Hit[], federationKey, true)];
}

async function miroirAnswers(env: ProxiedCluster, testCase: EquivalenceCase): Promise<Answer[]> {
  const send = async (path: string, body: unknown) => {
    const response = await env.miroir(path, json(body));
    expect(response.headers.get("x-miroir-degraded")).toBeNull();
    const answer = (await response.json()) as Answer;
    expect(response.status, `${JSON.stringify(body)}: ${JSON.stringify(answer)}`).toBe(200);
    return answer;
  };
  if (testCase.kind === "search") return [await send(searchPath(testCase), testCase.body)];
  if (testCase.kind === "multi") {
    const answer = await send("/multi-search", { queries: testCase.body.queries.map(withIndex) });
    return answer.results as Answer[];
  }
  const { federation, queries } = testCase.body;
  return [await send("/multi-search", { federation, queries: queries.map(withIndex) })];
}

/**
 * For a distinct search in offset/limit mode that no ranking rule orders (a placeholder
 * without sort, on an index without a custom ranking rule), the single node's exhaustive
 * count and its number of candidates; undefined for any other search.
 */
async function unrankedDistinctBounds(
  indexUid: string | undefined,
  body: SearchBody,
): Promise<{ exact: number; candidates: number } | undefined> {
  const distinct = body.distinct ?? (indexUid === "shows" ? "director.country" : undefined);
  const ranked = (body.q ?? "") !== "" || body.sort !== undefined || indexUid === "films";
  const paged = body.page !== undefined || body.hitsPerPage !== undefined;
  if (distinct === undefined || ranked || paged) return undefined;
  const path = `/indexes/${indexUid}/search`;
  const { indexUid: _index, ...query } = withoutWindow(body);
  const [exhaustive, unwalked] = await Promise.all([
    single.call(path, { ...query, page: 1, hitsPerPage: 1 }),
    single.call(path, { ...query, limit: 0 }),
  ]);
  return {
    exact: exhaustive.totalHits as number,
    candidates: unwalked.estimatedTotalHits as number,
  };
}

/** Asserts that Miroir answers each case as the single node does (`first` numbers them). */
async function expectCasesEquivalent(
  env: ProxiedCluster,
  cases: readonly EquivalenceCase[],
  first: number,
): Promise<void> {
  for (let number = 0; number < cases.length; number++) {
    const index = first + number;
    const testCase = cases[number] as EquivalenceCase;
    const label = `case ${index} (${testCase.name}) ${JSON.stringify(testCase.body)}`;
    const answer = await answerOf(index, testCase);
    const got = await miroirAnswers(env, testCase);
    const expectedResults = testCase.kind === "multi" ? (answer.results as Answer[]) : [answer];
    expect(got.length, label).toBe(expectedResults.length);
    const bodies =
      testCase.kind === "multi"
        ? testCase.body.queries
        : [testCase.kind === "search" ? testCase.body : testCase.body.federation];
    const windows = bodies.map((body) =>
      testCase.kind === "federated"
        ? windowOf(body, UNCAPPED)
        : windowOf(body, capOf(testCase.kind === "search" ? testCase.index : body.indexUid)),
    );
    const sameHits = got.every(
      (result, at) => JSON.stringify(result.hits) === JSON.stringify(expectedResults[at]?.hits),
    );
    // Ties may come in another order: then learn how the single node ranks every hit.
    const [rankings, keysByQuery] = sameHits
      ? [undefined, undefined]
      : await Promise.all([rankingOf(testCase, got), keysOf(index, testCase)]);
    const ownIndexOf = (at: number) =>
      testCase.kind === "search"
        ? testCase.index
        : testCase.kind === "multi"
          ? String(bodies[at]?.indexUid)
          : undefined;
    const bounds = await Promise.all(
      bodies.map((body, at) =>
        testCase.kind === "federated" ? undefined : unrankedDistinctBounds(ownIndexOf(at), body),
      ),
    );
    got.forEach((result, at) => {
      const ownIndex = ownIndexOf(at);
      const comparison: Comparison = {
        countSorted: (index, facet) => (index ?? ownIndex) === "films" && facet !== "genre",
        unrankedDistinct: bounds[at],
      };
      const expectedResult = expectedResults[at] as Answer;
      if (rankings === undefined || keysByQuery === undefined) {
        expectSameFields(`${label} query ${at}`, result, expectedResult, comparison);
        return;
      }
      expectEquivalent(
        `${label} query ${at}`,
        result,
        expectedResult,
        { keysByPosition: keysByQuery[at] as string[], byId: rankings[at] as RankingById },
        windows[at] as Window,
        idOf,
        comparison,
      );
    });
  }
}

describe.each(CLUSTERS)("5 000 documents through Miroir on %s", (_name, options) => {
  let env: ProxiedCluster;

  beforeAll(async () => {
    env = await startProxiedCluster(options);
    const taskOf = async (response: Response) =>
      env.waitTask(((await response.json()) as { taskUid: number }).taskUid);
    for (const [uid, indexSettings] of Object.entries(SETTINGS)) {
      await taskOf(await env.miroir("/indexes", json({ uid, primaryKey: "id" })));
      const settings = await taskOf(
        await env.miroir(`/indexes/${uid}/settings`, json(indexSettings, "PATCH")),
      );
      expect(settings.status).toBe("succeeded");
      const documents = await taskOf(
        await env.miroir(`/indexes/${uid}/documents`, json(DOCUMENTS)),
      );
      expect(documents.status).toBe("succeeded");
    }
  }, 240_000);

  afterAll(async () => {
    await env?.stop();
  });

  it("answers 350 generated searches, multi-searches and federated searches exactly like one node holding every document", async () => {
    await expectCasesEquivalent(env, CASES, 0);
  }, 300_000);

  it("reports the totals one node reports for 60 distinct searches, whatever the window", async () => {
    await expectCasesEquivalent(env, DISTINCT_CASES, CASES.length);
  }, 120_000);
});
