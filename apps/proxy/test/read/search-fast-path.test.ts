import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { signTenantToken } from "@miroir/testkit";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSearchFastPath } from "../../src/routes/search/search-fast-path.js";
import { type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

const MASTER = "fast-path-master-key-0123456789";

const MOVIES = Array.from({ length: 40 }, (_, i) => ({
  id: i + 1,
  title: `${["Alpha", "Bravo", "Charlie", "Delta"][i % 4]} ${i}`,
  genre: ["drama", "comedy", "horror"][i % 3],
}));

/** One server on its own port, answering with `listener`. */
async function serve(
  listener: Parameters<typeof createServer>[1],
): Promise<Server & { url: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(server, { url: `http://127.0.0.1:${port}` });
}

interface SentRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array | string;
}

/** What a client can compare of two answers: status, the headers that matter, the body. */
async function seen(url: string, request: SentRequest) {
  const answer = await fetch(`${url}${request.path}`, {
    method: "POST",
    headers: request.headers,
    body: request.body,
  });
  const text = await answer.text();
  let body: unknown = text;
  try {
    body = normalised(JSON.parse(text));
  } catch {
    // Not JSON: compared as text.
  }
  return {
    status: answer.status,
    contentType: answer.headers.get("content-type"),
    degraded: answer.headers.get("x-miroir-degraded"),
    retryAfter: answer.headers.get("retry-after"),
    body,
  };
}

/** An answer without what differs from one search to the next (times, request uids). */
function normalised(body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const {
    processingTimeMs: _time,
    requestUid: _uid,
    _miroirExplain,
    ...rest
  } = body as Record<string, unknown>;
  if (_miroirExplain === undefined) return rest;
  const plan = _miroirExplain as { shards: number[]; hedgesSent: number; calls: unknown[] };
  return { ...rest, _miroirExplain: { shards: plan.shards, calls: plan.calls.length } };
}

describe("the search fast path", () => {
  let env: ProxiedCluster;
  let fast: Server & { url: string };
  let app: Server & { url: string };
  let fellThrough = 0;
  const credentials: Record<string, string | undefined> = {};

  beforeAll(async () => {
    env = await startProxiedCluster(
      { nodes: 3, masterKey: MASTER },
      { session_pinning: { enabled: true } },
    );
    const master = { authorization: `Bearer ${MASTER}`, "content-type": "application/json" };
    const call = (path: string, method: string, body?: unknown) =>
      env.miroir(path, {
        method,
        headers: master,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const finished = async (answer: Response) => {
      const { taskUid } = (await answer.json()) as { taskUid: number };
      for (let attempt = 0; attempt < 1_000; attempt++) {
        const task = (await (await call(`/tasks/${taskUid}`, "GET")).json()) as { status: string };
        if (task.status === "succeeded") return;
        if (task.status === "failed") throw new Error(`task ${taskUid} failed`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`task ${taskUid} did not finish`);
    };
    await finished(await call("/indexes", "POST", { uid: "movies", primaryKey: "id" }));
    await finished(
      await call("/indexes/movies/settings", "PATCH", { filterableAttributes: ["genre"] }),
    );
    await finished(await call("/indexes/movies/documents", "POST", MOVIES));
    const { results } = (await (await call("/keys", "GET")).json()) as {
      results: { name: string | null; key: string; uid: string }[];
    };
    const search = results.find((key) => key.name === "Default Search API Key") as {
      key: string;
      uid: string;
    };
    const other = (await (
      await call("/keys", "POST", { actions: ["search"], indexes: ["books"], expiresAt: null })
    ).json()) as { key: string };
    const token = signTenantToken(
      { apiKeyUid: search.uid, searchRules: { movies: { filter: "genre = drama" } } },
      search.key,
    );
    const [head, , signature] = token.split(".");
    const widened = Buffer.from(
      JSON.stringify({ apiKeyUid: search.uid, searchRules: { movies: null } }),
    ).toString("base64url");
    Object.assign(credentials, {
      none: undefined,
      master: `Bearer ${MASTER}`,
      search: `Bearer ${search.key}`,
      "other index": `Bearer ${other.key}`,
      "tenant token": `Bearer ${token}`,
      "tampered token": `Bearer ${head}.${widened}.${signature}`,
      "unknown key": "Bearer not-a-key",
      "not bearer": `Basic ${MASTER}`,
    });
    const appListener = getRequestListener(env.proxy.app.fetch);
    app = await serve(appListener);
    fast = await serve(
      withSearchFastPath(env.proxy.context, null, (incoming, outgoing) => {
        fellThrough += 1;
        appListener(incoming, outgoing);
      }),
    );
  }, 120_000);

  afterAll(async () => {
    for (const server of [fast, app]) {
      if (server === undefined) continue;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await env?.stop();
  });

  const deep = `${"[".repeat(400)}${"]".repeat(400)}`;
  const bodies = fc.oneof(
    fc.constantFrom(
      JSON.stringify({ q: "" }),
      JSON.stringify({ q: "alpha", limit: 3 }),
      JSON.stringify({ q: "", filter: "genre = comedy", offset: 2, limit: 4 }),
      JSON.stringify({ q: "", filter: ["genre = drama", ["genre = comedy", "genre = horror"]] }),
      JSON.stringify({ q: "", facets: ["genre"], hitsPerPage: 5, page: 2 }),
      JSON.stringify({ q: "", sort: ["id:asc"] }),
      JSON.stringify({ q: "", filter: "genre = " }),
      JSON.stringify({ q: "", limit: "ten" }),
      JSON.stringify({ q: "", unknownParameter: 1 }),
      JSON.stringify({ q: "", filter: null }),
      `\u{feff}${JSON.stringify({ q: "bravo" })}`,
      `{"q": "", "filter": ${deep}}`,
      "{",
      "",
      "[]",
      "null",
      "42",
    ),
    fc
      .record({ q: fc.string({ maxLength: 8 }), limit: fc.integer({ min: 0, max: 30 }) })
      .map((query) => JSON.stringify(query)),
    fc.constant(new Uint8Array([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])),
  );
  const requests: fc.Arbitrary<SentRequest & { eligible: boolean }> = fc
    .record({
      index: fc.constantFrom("movies", "books", "missing"),
      credential: fc.constantFrom(
        "none",
        "master",
        "search",
        "other index",
        "tenant token",
        "tampered token",
        "unknown key",
        "not bearer",
      ),
      explain: fc.constantFrom(undefined, "true", " TRUE ", "false"),
      requestId: fc.constantFrom(undefined, "client-id-1", "not an id!"),
      contentType: fc.constantFrom(
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        undefined,
      ),
      session: fc.constantFrom(undefined, "session-1"),
      query: fc.constantFrom("", "?via=app"),
      body: bodies,
    })
    .map((drawn) => {
      const headers: Record<string, string> = {};
      const credential = credentials[drawn.credential];
      if (credential !== undefined) headers.authorization = credential;
      if (drawn.explain !== undefined) headers["x-miroir-explain"] = drawn.explain;
      if (drawn.requestId !== undefined) headers["x-request-id"] = drawn.requestId;
      if (drawn.contentType !== undefined) headers["content-type"] = drawn.contentType;
      if (drawn.session !== undefined) headers["x-miroir-session"] = drawn.session;
      return {
        path: `/indexes/${drawn.index}/search${drawn.query}`,
        headers,
        body: drawn.body,
        eligible:
          drawn.query === "" &&
          drawn.session === undefined &&
          drawn.contentType?.startsWith("application/json") === true,
      };
    });

  it("answers every search as the app does: status, error, hits, headers — and takes the plain ones itself", async () => {
    await fc.assert(
      fc.asyncProperty(requests, async (request) => {
        const before = fellThrough;
        const [through, direct] = await Promise.all([
          seen(fast.url, request),
          seen(app.url, request),
        ]);
        expect(through).toEqual(direct);
        expect(fellThrough - before).toBe(request.eligible ? 0 : 1);
      }),
      { numRuns: 150 },
    );
  }, 240_000);

  it("counts the searches it answers in the request metrics, under the route's template", async () => {
    const total = async () => {
      const { values } = await env.proxy.context.metrics.requestsTotal.get();
      const found = values.find(
        ({ labels }) =>
          labels.method === "POST" &&
          labels.path_template === "/indexes/:indexUid/search" &&
          labels.status === "200",
      );
      return found?.value ?? 0;
    };
    const before = await total();
    const passed = fellThrough;
    for (let i = 0; i < 3; i++) {
      const answer = await fetch(`${fast.url}/indexes/movies/search`, {
        method: "POST",
        headers: { authorization: `Bearer ${MASTER}`, "content-type": "application/json" },
        body: JSON.stringify({ q: "" }),
      });
      expect(answer.status).toBe(200);
    }
    expect(fellThrough).toBe(passed);
    expect((await total()) - before).toBe(3);
  });
});
