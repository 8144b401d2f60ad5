import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SingleNode, startSingleNode } from "../equivalence/single-node.js";
import { type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

// One fixed sequence in CI, so a run is repeatable; MIROIR_FUZZ_SEED explores others.
const FUZZ_SEED = Number(process.env.MIROIR_FUZZ_SEED ?? 20_261_205);

const MASTER = "http-fuzz-master-key-0123456789";
const DOCUMENTS = Array.from({ length: 30 }, (_, id) => ({
  id,
  title: `doc ${id}`,
  genre: ["a", "b", "c"][id % 3],
  n: id,
}));
const SETTINGS = { filterableAttributes: ["genre", "n"], sortableAttributes: ["n"] };

let miroir: ProxiedCluster;
let single: SingleNode;

beforeAll(async () => {
  [miroir, single] = await Promise.all([
    startProxiedCluster({ nodes: 3, shards: 8 }, { master_key: MASTER }),
    startSingleNode(),
  ]);
  const headers = { "content-type": "application/json", authorization: `Bearer ${MASTER}` };
  const send = async (path: string, body: unknown, method = "POST") => {
    const answer = await miroir.miroir(path, { method, headers, body: JSON.stringify(body) });
    const { taskUid } = (await answer.json()) as { taskUid: number };
    for (let attempt = 0; attempt < 3_000; attempt++) {
      const task = (await (await miroir.miroir(`/tasks/${taskUid}`, { headers })).json()) as {
        status: string;
      };
      if (task.status === "succeeded") return;
      if (task.status === "failed") throw new Error(`task ${taskUid} failed`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`task ${taskUid} did not finish`);
  };
  await send("/indexes", { uid: "fz", primaryKey: "id" });
  await send("/indexes/fz/settings", SETTINGS, "PATCH");
  await send("/indexes/fz/documents", DOCUMENTS);
  await single.load("fz", DOCUMENTS, SETTINGS);
}, 120_000);

afterAll(async () => {
  await miroir?.stop();
  await single?.stop();
});

/** One generated request: the same bytes go to Miroir and to one node. */
interface FuzzRequest {
  method: string;
  path: string;
  query: string;
  contentType: string | null;
  body: Uint8Array | null;
}

/**
 * Paths a request may name. Writes that create or delete whole indexes are left out: one
 * side accepting what the other refuses would leave the two in different states, and
 * every later answer would differ for that reason alone.
 */
const PATHS = [
  "/",
  "/health",
  "/version",
  "/stats",
  "/indexes",
  "/indexes/fz",
  "/indexes/fz/stats",
  "/indexes/fz/search",
  "/indexes/fz/facet-search",
  "/indexes/fz/documents",
  "/indexes/fz/documents/fetch",
  "/indexes/fz/documents/delete-batch",
  "/indexes/fz/documents/delete",
  "/indexes/fz/documents/3",
  "/indexes/fz/documents/%F0%9F%8E%AC",
  "/indexes/fz/settings",
  "/indexes/fz/settings/filterable-attributes",
  "/indexes/fz/settings/ranking-rules",
  "/indexes/fz/settings/typo-tolerance",
  "/indexes/missing/search",
  "/indexes/missing/documents",
  "/indexes/%00/search",
  "/indexes/a%20b/search",
  "/multi-search",
  "/tasks",
  "/tasks/999999",
  "/tasks/abc",
  "/batches",
  "/keys/not-a-key",
  "/nope",
  "/indexes/fz/nope",
];

const text = (value: string) => new TextEncoder().encode(value);
const deep = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const wideDocument = () => {
  const document: Record<string, unknown> = { id: 10_000 };
  for (let field = 0; field < 10_000; field++) document[`f${field}`] = field;
  return JSON.stringify([document]);
};

const JSON_VALUES = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({
    q: fc.oneof(fc.string(), fc.integer()),
    limit: fc.oneof(fc.integer(), fc.constant(Number.MAX_VALUE), fc.constant(2 ** 64), fc.string()),
    offset: fc.oneof(fc.nat(), fc.constant(-1), fc.double()),
    filter: fc.oneof(fc.string(), fc.constant("genre = a"), fc.constant(["n > 3"]), fc.integer()),
    sort: fc.oneof(fc.constant(["n:asc"]), fc.array(fc.string(), { maxLength: 2 })),
  }),
  fc.array(
    fc.record({ id: fc.oneof(fc.nat(), fc.string(), fc.constant(null)), title: fc.string() }),
    { maxLength: 3 },
  ),
);

const BODIES: fc.Arbitrary<Uint8Array | null> = fc.oneof(
  fc.constant(null),
  fc.constant(new Uint8Array(0)),
  JSON_VALUES.map((value) => text(JSON.stringify(value) ?? "null")),
  JSON_VALUES.chain((value) => {
    const whole = JSON.stringify(value) ?? "null";
    return fc.nat({ max: whole.length }).map((cut) => text(whole.slice(0, cut)));
  }),
  fc.uint8Array({ maxLength: 64 }),
  fc.constantFrom(
    Uint8Array.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    text('{"q": 1e400}'),
    text('{"limit": 123456789012345678901234567890}'),
    text(`{"q":"a","x":${deep(200)}}`),
    text(`[{"id":1,"x":${deep(50)}}]`),
    text('{"id": 1}\n{"id": 2'),
    text("id,title\n1,a\n2"),
    text(wideDocument()),
  ),
);

/** Whether a request could create or delete an index (on either side). */
const changesIndexes = (request: FuzzRequest) =>
  (request.method !== "GET" && /^\/indexes(\/(fz|missing|%00|a%20b))?$/.test(request.path)) ||
  (request.method !== "GET" && request.path.startsWith("/indexes/missing")) ||
  (request.method !== "GET" && request.path.startsWith("/indexes/a%20b")) ||
  (request.method !== "GET" && request.path.startsWith("/indexes/%00"));

const REQUESTS: fc.Arbitrary<FuzzRequest> = fc
  .record({
    method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"),
    path: fc.constantFrom(...PATHS),
    query: fc.constantFrom(
      "",
      "limit=abc",
      "limit=1e400",
      "offset=-1",
      "q=%FF",
      "filter=genre%20%3D%20a)%20OR%20(n%20%3E%201",
      "filter=%5B%5B%5B%22a%22%5D%5D%5D",
      "limit=2&offset=1",
    ),
    contentType: fc.constantFrom(
      null,
      "application/json",
      "application/x-ndjson",
      "text/csv",
      "text/plain",
      "application/json; charset=utf-8",
      "garbage/\u00e9",
    ),
    body: BODIES,
  })
  .filter((request) => !changesIndexes(request));

/** Writes that must not reach a node when refused: every method that is not a read. */
const isWrite = (request: FuzzRequest) =>
  request.method !== "GET" && !/\/(search|facet-search|fetch|multi-search)$/.test(request.path);

interface Answer {
  status: number;
  body: string;
}

async function send(base: string, authorization: string, request: FuzzRequest): Promise<Answer> {
  const headers: Record<string, string> = { authorization };
  if (request.contentType !== null) headers["content-type"] = request.contentType;
  // Query strings go with searches and document listings, whose parameters they are.
  const takesQuery = request.method === "GET" && /\/(search|documents)$/.test(request.path);
  const query = takesQuery ? request.query : "";
  const url = `${base}${request.path}${query === "" ? "" : `?${query}`}`;
  const withBody = request.body !== null && request.method !== "GET";
  const answer = await fetch(url, {
    method: request.method,
    headers,
    body: withBody ? Buffer.from(request.body as Uint8Array) : undefined,
    signal: AbortSignal.timeout(20_000),
  });
  return { status: answer.status, body: await answer.text() };
}

/** Every document each node of Miroir holds, as text, to see that a refused write changed none. */
/** Waits until no node, of Miroir or the single one, has a task left to process. */
async function settled(): Promise<void> {
  const queues = [
    ...miroir.cluster.nodes.map(
      (node) => () => miroir.node(node.id, "/tasks?statuses=enqueued,processing&limit=1"),
    ),
    () =>
      fetch(`${single.url}/tasks?statuses=enqueued,processing&limit=1`, {
        headers: single.headers,
      }),
  ];
  for (const queue of queues) {
    for (let attempt = 0; attempt < 1_000; attempt++) {
      if ((((await (await queue()).json()) as { total?: number }).total ?? 0) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

async function nodeDocuments(): Promise<string> {
  const listings = await Promise.all(
    miroir.cluster.nodes.map(async (node) => {
      const answer = await miroir.node(node.id, "/indexes/fz/documents?limit=1000");
      return `${node.id}:${answer.status}:${await answer.text()}`;
    }),
  );
  return listings.join("\n");
}

function expectMeilisearchShaped(answer: Answer, context: string): void {
  expect(answer.status, context).toBeLessThan(500);
  for (const leak of ["    at ", "node_modules", "/work/", ".ts:", "Error: "]) {
    expect(answer.body, context).not.toContain(leak);
  }
  if (answer.status < 400 || answer.body === "") return;
  const error = JSON.parse(answer.body) as Record<string, unknown>;
  expect(Object.keys(error).sort(), context).toEqual(["code", "link", "message", "type"]);
}

function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

describe("hostile HTTP against Miroir over three nodes", () => {
  it("answers every request like one node would, never a crash, a stack or a partial write", async () => {
    collectGarbage();
    const baseline = process.memoryUsage().heapUsed;
    const singleAuth = single.headers.authorization as string;
    await fc.assert(
      fc.asyncProperty(REQUESTS, async (request) => {
        const context = JSON.stringify({
          ...request,
          body:
            request.body === null
              ? null
              : Buffer.from(request.body).toString("latin1").slice(0, 200),
        });
        // Earlier accepted writes finish first on both sides, so both answer the same state.
        await settled();
        const before = isWrite(request) ? await nodeDocuments() : "";
        const [got, want] = await Promise.all([
          send(miroir.url, `Bearer ${MASTER}`, request),
          send(single.url, singleAuth, request),
        ]);
        expectMeilisearchShaped(got, context);
        const detail = `${context}\nMiroir: ${got.body}\nnode: ${want.body}`;
        if (want.status === 500) {
          // A node's own internal error (an NDJSON line that is an array, say) is a bug of
          // the node; Miroir refuses the same request as a client error instead.
          expect(got.status, detail).toBeGreaterThanOrEqual(400);
        } else expect(got.status, detail).toBe(want.status);
        if (got.status >= 400 && want.status < 500 && got.body !== "" && want.body !== "") {
          expect((JSON.parse(got.body) as { code: string }).code, context).toBe(
            (JSON.parse(want.body) as { code: string }).code,
          );
        }
        if (isWrite(request) && got.status >= 400) {
          await settled();
          expect(await nodeDocuments(), `a refused write changed a node: ${context}`).toBe(before);
        }
      }),
      { numRuns: 300, interruptAfterTimeLimit: 90_000, seed: FUZZ_SEED },
    );
    expect((await fetch(`${miroir.url}/health`)).status).toBe(200);
    collectGarbage();
    const grown = process.memoryUsage().heapUsed - baseline;
    expect(grown, "heap after the run, beyond its baseline").toBeLessThan(64 * 1024 * 1024);
  }, 150_000);

  it.each([
    [
      "a search of a missing index with a filter that does not parse",
      "/indexes/missing/search",
      '{"filter":"genre = "}',
    ],
    [
      "a search of a missing index with a filter that parses",
      "/indexes/missing/search",
      '{"filter":"genre = a"}',
    ],
    [
      "a facet search of a missing index",
      "/indexes/missing/facet-search",
      '{"facetName":"genre","filter":"n >"}',
    ],
    ["delete-batch with an object cut short", "/indexes/fz/documents/delete-batch", "{"],
    [
      "delete-batch with an object after spaces",
      "/indexes/fz/documents/delete-batch",
      '\n  {"a":1}',
    ],
    ["delete-batch with a string", "/indexes/fz/documents/delete-batch", ' "ab\\"c"'],
    ["delete-batch with a number", "/indexes/fz/documents/delete-batch", "-12 and more"],
    ["delete-batch with a decimal", "/indexes/fz/documents/delete-batch", "1.50"],
    ["delete-batch with a boolean", "/indexes/fz/documents/delete-batch", "true"],
    ["delete-batch with null", "/indexes/fz/documents/delete-batch", "null"],
    ["delete-batch with no value", "/indexes/fz/documents/delete-batch", "x"],
    ["delete-batch with an array cut short", "/indexes/fz/documents/delete-batch", "[1,"],
  ])("refuses %s with the node's status, code and message", async (_name, path, body) => {
    const request: FuzzRequest = {
      method: "POST",
      path,
      query: "",
      contentType: "application/json",
      body: text(body),
    };
    const [got, want] = await Promise.all([
      send(miroir.url, `Bearer ${MASTER}`, request),
      send(single.url, single.headers.authorization as string, request),
    ]);
    expect(want.status).toBeGreaterThanOrEqual(400);
    const message = (answer: Answer) => {
      const { message: text, code } = JSON.parse(answer.body) as Record<string, string>;
      // A JSON parser's own wording (`EOF while parsing…`) is Meilisearch's, not the point.
      return { status: answer.status, code, text: code === "malformed_payload" ? "" : text };
    };
    expect(message(got)).toEqual(message(want));
  });
});
