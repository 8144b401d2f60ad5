import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for a Meilisearch node that answers from memory at once: the index, its
 * default settings, a fixed page of 20 ranked hits for any search, and a `202` with a new
 * task uid for any document write (read to its end, never indexed). Benchmarks use it
 * to see what a proxy costs by itself, with no search engine time in the figures.
 * `GET /_bench/requests` answers how many requests of each kind it served since the last
 * such call, so a benchmark can count the node calls behind one client search.
 */
export interface TrivialUpstream {
  readonly url: string;
  stop(): Promise<void>;
}

const RANKING_RULES = [
  "words",
  "typo",
  "proximity",
  "attributeRank",
  "sort",
  "wordPosition",
  "exactness",
];

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** The canned answers of one upstream; hit ids carry `id` so upstreams never share a hit. */
function cannedAnswers(id: string) {
  const hits = Array.from({ length: 20 }, (_, i) => {
    const score = 1 - (i + 0.5) / 40;
    return {
      id: `${id}-${i}`,
      title: `Document ${i} of ${id}`,
      _miroir_shard: i,
      _rankingScore: score,
      _rankingScoreDetails: {
        words: { order: 0, matchingWords: 1, maxMatchingWords: 1, score: 1 },
        typo: { order: 1, typoCount: 0, maxTypoCount: 0, score: 1 },
        proximity: { order: 2, score: 1 },
        attribute: {
          order: 3,
          attributeRankingOrderScore: 1,
          queryWordDistanceScore: score,
          score,
        },
        exactness: { order: 4, matchType: "exactMatch", score: 1 },
      },
    };
  });
  const now = "2026-01-01T00:00:00.000000000Z";
  return {
    health: json({ status: "available" }),
    index: json({ uid: "bench", primaryKey: "id", createdAt: now, updatedAt: now }),
    settings: json({
      rankingRules: RANKING_RULES,
      distinctAttribute: null,
      faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "alpha" } },
      pagination: { maxTotalHits: 1000 },
    }),
    search: json({
      hits,
      query: "",
      processingTimeMs: 0,
      limit: 20,
      offset: 0,
      estimatedTotalHits: 20,
    }),
    notFound: json({
      message: "Not found.",
      code: "not_found",
      type: "invalid_request",
      link: "https://docs.meilisearch.com/errors#not_found",
    }),
  };
}

/** What a request asks for, as counted by `/_bench/requests`. */
export type UpstreamRequestKind = "health" | "search" | "settings" | "index" | "write" | "other";

function kindOf(method: string, path: string): UpstreamRequestKind {
  if (path === "/health") return "health";
  if (path.endsWith("/documents") && method === "POST") return "write";
  if (path.endsWith("/search") && method === "POST") return "search";
  if (path.endsWith("/settings")) return "settings";
  if (/^\/indexes\/[^/]+$/.test(path)) return "index";
  return "other";
}

export function startTrivialUpstream(id: string): Promise<TrivialUpstream> {
  const answers = cannedAnswers(id);
  let counts: Partial<Record<UpstreamRequestKind, number>> = {};
  let taskUid = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.once("end", () => {
      const path = (request.url ?? "/").split("?")[0] ?? "/";
      let body: Buffer;
      let status = 200;
      if (path === "/_bench/requests") {
        body = json(counts);
        counts = {};
      } else {
        const kind = kindOf(request.method ?? "GET", path);
        counts[kind] = (counts[kind] ?? 0) + 1;
        if (kind === "write") {
          status = 202;
          body = json({
            taskUid: taskUid++,
            indexUid: path.split("/")[2],
            status: "enqueued",
            type: "documentAdditionOrUpdate",
            enqueuedAt: new Date().toISOString(),
          });
        } else if (kind === "other") {
          status = 404;
          body = answers.notFound;
        } else {
          body = answers[kind];
        }
      }
      response.writeHead(status, {
        "content-type": "application/json",
        "content-length": body.length,
      });
      response.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        stop: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
