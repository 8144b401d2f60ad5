import { parseArgs } from "node:util";
import { type Hit, type MergeSettings, mergeSearch, type NodeSearchAnswer } from "@miroir/merger";

/**
 * Times the merger over node answers of the proxy's shape (ranked hits with score
 * details, as parsed from JSON), alone in this process: `--answers 1,2,4,…` answers of
 * `--limit` hits for the curve over answers, and `--pages 10,20,…` page sizes over
 * `--page-answers` answers for the curve over page size. Each merge gets a fresh parsed
 * copy of its answers (the proxy merges each answer once) and is timed on its own. The
 * points take turns over `--rounds` rounds, each taking the median of its merges, and a
 * point keeps its best round: on a shared machine other work only ever adds time, so the
 * best round is the least disturbed one. Prints one JSON line.
 */
const { values } = parseArgs({
  options: {
    answers: { type: "string", default: "1,2,4,8,16,32,64" },
    limit: { type: "string", default: "20" },
    pages: { type: "string", default: "10,20,50,100,200,500,1000" },
    "page-answers": { type: "string", default: "8" },
    "ms-per-point": { type: "string", default: "400" },
    rounds: { type: "string", default: "4" },
  },
});

const RULES = ["words", "typo", "proximity", "attributeRank", "wordPosition", "exactness"];
const settings: MergeSettings = {
  primaryKey: "id",
  rankingRules: [...RULES.slice(0, 4), "sort", ...RULES.slice(4)],
  distinctAttribute: null,
  faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "alpha" } },
  pagination: { maxTotalHits: 1000 },
};

function answerText(node: number, hits: number): string {
  const list: Hit[] = [];
  for (let i = 0; i < hits; i++) {
    const score = 1 - (i + node / 100) / (hits + 1);
    const details: Record<string, unknown> = {};
    RULES.forEach((rule, order) => {
      details[rule] = { order, score: order === 0 ? score : 1 };
    });
    list.push({
      id: node * 1_000_000 + i,
      title: `Document ${i} of node ${node}`,
      _miroir_shard: node,
      _rankingScore: score,
      _rankingScoreDetails: details,
    });
  }
  return JSON.stringify({
    hits: list,
    query: "q",
    processingTimeMs: 1,
    limit: hits,
    offset: 0,
    estimatedTotalHits: hits * 10,
  });
}

/** Median time of one merge (µs) of `answers` answers of `hits` hits each, client limit `limit`. */
function medianMergeMicros(answers: number, hits: number, limit: number, budgetMs: number): number {
  const texts = Array.from({ length: answers }, (_, node) => answerText(node, hits));
  const query = { q: "q", limit };
  const times: number[] = [];
  const deadline = performance.now() + budgetMs;
  while ((performance.now() < deadline && times.length < 5_000) || times.length < 15) {
    const parsed: NodeSearchAnswer[] = texts.map((text, node) => ({
      node: `n${node}`,
      body: JSON.parse(text),
    }));
    const started = performance.now();
    mergeSearch(query, settings, parsed);
    times.push((performance.now() - started) * 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

const rounds = Number(values.rounds);
const budget = Number(values["ms-per-point"]) / rounds;
const list = (text: string) => text.split(",").map(Number);
const limit = Number(values.limit);
const pageAnswers = Number(values["page-answers"]);
const points = [
  ...list(values.answers).map((answers) => ({
    curve: "answers",
    x: answers,
    answers,
    hits: limit,
  })),
  ...list(values.pages).map((page) => ({
    curve: "pages",
    x: page,
    answers: pageAnswers,
    hits: page,
  })),
];
// A first pass that is not kept, so that every point runs optimised code.
medianMergeMicros(8, 20, 20, Math.min(300, budget));
const best = points.map(() => Number.POSITIVE_INFINITY);
for (let round = 0; round < rounds; round++) {
  points.forEach((point, i) => {
    const micros = medianMergeMicros(point.answers, point.hits, point.hits, budget);
    best[i] = Math.min(best[i] as number, micros);
  });
}
const of = (curve: string) =>
  points.flatMap((point, i) =>
    point.curve === curve ? [{ x: point.x, y: best[i] as number }] : [],
  );
process.stdout.write(`${JSON.stringify({ overAnswers: of("answers"), overPages: of("pages") })}\n`);
