import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../equivalence/seeded-random.js";
import { type SingleNode, startSingleNode } from "../equivalence/single-node.js";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

const COUNT = 300;
const DIMENSIONS = 8;
const SETTINGS = {
  embedders: { plot: { source: "userProvided", dimensions: DIMENSIONS } },
  filterableAttributes: ["genre"],
};
const GENRES = ["drama", "comedy", "horror"];

type Movie = { id: number; genre: string; _vectors: { plot: number[] | null } };
type Hit = { id: number; genre?: string; _rankingScore: number; _vectors?: unknown };
type Similar = {
  hits: Hit[];
  id: string;
  limit: number;
  offset: number;
  estimatedTotalHits: number;
};

/**
 * Random vectors in every direction; every tenth movie has none, said with `null` as
 * Meilisearch requires for a userProvided embedder (an absent vector fails the task).
 */
function movies(): Movie[] {
  const random = seededRandom(7);
  return Array.from({ length: COUNT }, (_, id) => ({
    id,
    genre: GENRES[id % GENRES.length] as string,
    _vectors: {
      plot: id % 10 === 9 ? null : Array.from({ length: DIMENSIONS }, () => random.next() * 2 - 1),
    },
  }));
}

let env: ProxiedCluster;
let single: SingleNode;

beforeAll(async () => {
  [env, single] = await Promise.all([
    startProxiedCluster({ nodes: 3, shards: 8, rf: 1 }),
    startSingleNode(),
  ]);
  const settled = async (response: Response) => {
    const task = await env.waitTask(((await response.json()) as { taskUid: number }).taskUid);
    expect(task.status).toBe("succeeded");
  };
  await settled(await env.miroir("/indexes", json({ uid: "movies", primaryKey: "id" })));
  await settled(await env.miroir("/indexes/movies/settings", json(SETTINGS, "PATCH")));
  await settled(await env.miroir("/indexes/movies/documents", json(movies())));
  await single.load("movies", movies(), SETTINGS);
}, 60_000);

afterAll(async () => {
  await env?.stop();
  await single?.stop();
});

async function miroirSimilar(body: Record<string, unknown>) {
  const response = await env.miroir("/indexes/movies/similar", json(body));
  return { status: response.status, body: (await response.json()) as Similar };
}

/** Hits as runs of equal score, each run a set of ids: one node's order up to ties. */
function scoreRuns(hits: readonly Hit[]): Array<[number, number[]]> {
  const runs: Array<[number, number[]]> = [];
  for (const hit of hits) {
    const last = runs.at(-1);
    if (last?.[0] === hit._rankingScore) last[1].push(hit.id);
    else runs.push([hit._rankingScore, [hit.id]]);
  }
  return runs.map(([score, ids]) => [score, ids.sort((a, b) => a - b)]);
}

describe("/similar over shards", () => {
  it("answers like one node holding every document, for many targets and windows", async () => {
    const random = seededRandom(11);
    for (let round = 0; round < 12; round++) {
      const body: Record<string, unknown> = {
        id: random.int(0, COUNT - 1),
        embedder: "plot",
        offset: random.pick([0, 0, 5, 40, 250]),
        limit: random.pick([1, 10, 20, 60]),
        showRankingScore: true,
      };
      if (random.chance(0.4)) body.filter = `genre = ${random.pick(GENRES)}`;
      const miroir = await miroirSimilar(body);
      const one = (await single.call("/indexes/movies/similar", body)) as unknown as Similar;
      expect(miroir.status).toBe(200);
      const { hits, ...rest } = miroir.body;
      const { hits: expectedHits, ...expectedRest } = one;
      expect({ ...rest, processingTimeMs: 0 }).toEqual({ ...expectedRest, processingTimeMs: 0 });
      expect(hits.map((hit) => hit.id)).not.toContain(Number(body.id));
      // Movies without a vector share the last score: compared as sets, edges cut apart.
      const runs = scoreRuns(hits);
      const expected = scoreRuns(expectedHits);
      expect(runs.map(([score]) => score)).toEqual(expected.map(([score]) => score));
      expect(runs.slice(0, -1)).toEqual(expected.slice(0, -1));
      expect(hits).toHaveLength(expectedHits.length);
    }
  });

  it("answers GET like POST, with the fields, details and vectors asked for", async () => {
    const get = await env.miroir(
      "/indexes/movies/similar?id=4&embedder=plot&limit=5&attributesToRetrieve=genre&retrieveVectors=true&showRankingScoreDetails=true",
    );
    expect(get.status).toBe(200);
    const body = (await get.json()) as Similar;
    const one = (await single.call("/indexes/movies/similar", {
      id: 4,
      embedder: "plot",
      limit: 5,
      attributesToRetrieve: ["genre"],
      retrieveVectors: true,
      showRankingScoreDetails: true,
    })) as unknown as Similar;
    expect(body.hits).toEqual(one.hits);
    expect(Object.keys(body.hits[0] ?? {})).toEqual(["genre", "_vectors", "_rankingScoreDetails"]);
  });

  it("answers a target without a vector, and errors, as one node does", async () => {
    for (const body of [
      { id: 9, embedder: "plot" },
      { id: 19, embedder: "plot", filter: "genre = comedy" },
    ]) {
      const noVector = await miroirSimilar(body);
      const one = (await single.call("/indexes/movies/similar", body)) as unknown as Similar;
      expect({ ...noVector.body, processingTimeMs: 0 }).toEqual({ ...one, processingTimeMs: 0 });
    }
    for (const [body, code] of [
      [{ id: 100_000, embedder: "plot" }, "not_found_similar_id"],
      [{ id: 1, embedder: "nope" }, "invalid_similar_embedder"],
      [{ id: "a b", embedder: "plot" }, "invalid_similar_id"],
      [{ id: 1, embedder: "plot", filter: "id = 3" }, "invalid_similar_filter"],
      [{ id: 1, embedder: "plot", limit: "x" }, "invalid_similar_limit"],
    ] as const) {
      const miroir = await env.miroir("/indexes/movies/similar", json(body));
      const response = await fetch(`${single.url}/indexes/movies/similar`, {
        method: "POST",
        headers: { ...single.headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const expected = { status: response.status, body: await response.json() };
      expect({ status: miroir.status, body: await miroir.json() }).toEqual(expected);
      expect(expected).toMatchObject({ status: 400, body: { code } });
    }
    const missing = await env.miroir("/indexes/none/similar", json({ id: 1, embedder: "plot" }));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "index_not_found" });
  });
});
