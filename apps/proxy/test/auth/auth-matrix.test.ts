import { type Cluster, signTenantToken, startCluster } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

const MASTER = "auth-matrix-master-key-0123456789";
const ADMIN = "auth-matrix-admin-key-0123456789";

const MOVIES = [
  { id: 1, title: "Alpha", genre: "drama" },
  { id: 2, title: "Bravo", genre: "comedy" },
  { id: 3, title: "Charlie", genre: "drama" },
  { id: 4, title: "Delta", genre: "horror" },
  { id: 5, title: "Echo", genre: "drama" },
  { id: 6, title: "Foxtrot", genre: "comedy" },
];

type Call = (path: string, init?: RequestInit) => Promise<Response>;

/** One side of the comparison: Miroir in front of three nodes, or one node on its own. */
interface Side {
  call: Call;
  credentials: Record<string, string | undefined>;
}

const REQUESTS: Record<string, { path: string; init: () => RequestInit }> = {
  search: { path: "/indexes/movies/search", init: () => json({ q: "" }) },
  "add documents": {
    path: "/indexes/movies/documents",
    init: () => json([{ id: 100, title: "Zulu", genre: "drama" }]),
  },
  settings: { path: "/indexes/movies/settings", init: () => ({ method: "GET" }) },
  keys: { path: "/keys", init: () => ({ method: "GET" }) },
  tasks: { path: "/tasks", init: () => ({ method: "GET" }) },
};

const CREDENTIALS = [
  "no key",
  "master key",
  "Miroir admin key",
  "default admin key",
  "search-only key",
  "key limited to another index",
  "expired key",
  "tenant token with a filter rule",
  "tampered token",
] as const;

function withBearer(init: RequestInit, token: string | undefined): RequestInit {
  if (token === undefined) return init;
  return { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${token}` } };
}

async function outcome(call: Call, path: string, init: RequestInit, token: string | undefined) {
  const answer = await call(path, withBearer(init, token));
  const body = (await answer.json().catch(() => null)) as { code?: string } | null;
  return { status: answer.status, code: answer.ok ? null : (body?.code ?? null) };
}

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("condition never held");
}

/** Creates the index and the keys on one side, through its own API, with the master key. */
async function prepare(call: Call): Promise<Record<string, string | undefined>> {
  const master = (init: RequestInit) => withBearer(init, MASTER);
  const finished = async (answer: Response) => {
    const { taskUid } = (await answer.json()) as { taskUid: number };
    await waitUntil(async () => {
      const task = (await (await call(`/tasks/${taskUid}`, master({}))).json()) as {
        status: string;
      };
      return task.status === "succeeded";
    });
  };
  await finished(await call("/indexes", master(json({ uid: "movies", primaryKey: "id" }))));
  await finished(
    await call(
      "/indexes/movies/settings",
      master(json({ filterableAttributes: ["genre"] }, "PATCH")),
    ),
  );
  await finished(await call("/indexes/movies/documents", master(json(MOVIES))));
  const { results } = (await (await call("/keys", master({}))).json()) as {
    results: { name: string | null; key: string; uid: string }[];
  };
  const named = (name: string) => results.find((key) => key.name === name) as (typeof results)[0];
  const create = async (body: unknown) =>
    (await (await call("/keys", master(json(body)))).json()) as { key: string; uid: string };
  const limited = await create({
    actions: ["search", "documents.add", "settings.get", "tasks.get", "keys.get"],
    indexes: ["books"],
    expiresAt: null,
  });
  const expired = await create({
    actions: ["*"],
    indexes: ["*"],
    expiresAt: new Date(Date.now() + 1_500).toISOString(),
  });
  const search = named("Default Search API Key");
  const token = signTenantToken(
    { apiKeyUid: search.uid, searchRules: { movies: { filter: "genre = drama" } } },
    search.key,
  );
  const [head, , signature] = token.split(".");
  const widened = Buffer.from(
    JSON.stringify({ apiKeyUid: search.uid, searchRules: { movies: null } }),
  ).toString("base64url");
  return {
    "no key": undefined,
    "master key": MASTER,
    "Miroir admin key": ADMIN,
    "default admin key": named("Default Admin API Key").key,
    "search-only key": search.key,
    "key limited to another index": limited.key,
    "expired key": expired.key,
    "tenant token with a filter rule": token,
    "tampered token": `${head}.${widened}.${signature}`,
  };
}

describe("auth through Miroir", () => {
  let miroir: ProxiedCluster;
  let single: Cluster;
  let sides: { miroir: Side; single: Side };

  beforeAll(async () => {
    [miroir, single] = await Promise.all([
      startProxiedCluster({ nodes: 3 }, { master_key: MASTER, admin: { api_key: ADMIN } }),
      startCluster({ nodes: 1, nodeMasterKey: MASTER }),
    ]);
    const address = single.nodes[0]?.address as string;
    const singleCall: Call = (path, init) => fetch(`${address}${path}`, init);
    const [miroirCredentials, singleCredentials] = await Promise.all([
      prepare(miroir.miroir),
      prepare(singleCall),
    ]);
    sides = {
      miroir: { call: miroir.miroir, credentials: miroirCredentials },
      single: { call: singleCall, credentials: singleCredentials },
    };
    await new Promise((resolve) => setTimeout(resolve, 1_600)); // the expiring keys expire
  }, 60_000);

  afterAll(async () => {
    await Promise.all([miroir?.stop(), single?.stop()]);
  });

  for (const credential of CREDENTIALS) {
    for (const [name, request] of Object.entries(REQUESTS)) {
      it(`answers ${name} with the ${credential} exactly like one Meilisearch node`, async () => {
        const [through, direct] = await Promise.all([
          outcome(
            sides.miroir.call,
            request.path,
            request.init(),
            sides.miroir.credentials[credential],
          ),
          outcome(
            sides.single.call,
            request.path,
            request.init(),
            sides.single.credentials[credential],
          ),
        ]);
        expect(through).toEqual(direct);
      });
    }
  }

  it("opens /_miroir/topology only to the admin key, with miroir_invalid_auth otherwise", async () => {
    for (const credential of CREDENTIALS) {
      const token = sides.miroir.credentials[credential];
      const seen = await outcome(miroir.miroir, "/_miroir/topology", {}, token);
      expect(seen, credential).toEqual(
        credential === "Miroir admin key"
          ? { status: 200, code: null }
          : { status: 401, code: "miroir_invalid_auth" },
      );
    }
    const viaHeader = await miroir.miroir("/_miroir/topology", {
      headers: { "x-admin-key": ADMIN },
    });
    expect(viaHeader.status).toBe(200);
  });

  it("limits a tenant token's hits by its filter rule through Miroir as one node does", async () => {
    const hitIds = async (side: Side) => {
      const answer = await side.call(
        "/indexes/movies/search",
        withBearer(json({ q: "", limit: 50 }), side.credentials["tenant token with a filter rule"]),
      );
      const body = (await answer.json()) as { hits: { id: number }[] };
      return body.hits.map((hit) => hit.id).sort((a, b) => a - b);
    };
    const [through, direct] = await Promise.all([hitIds(sides.miroir), hitIds(sides.single)]);
    // Every drama document, whichever the matrix added; never the comedies or horror.
    expect(direct).toEqual(expect.arrayContaining([1, 3, 5]));
    expect(direct.filter((id) => [2, 4, 6].includes(id))).toEqual([]);
    expect(through).toEqual(direct);
  });

  it("ANDs the tenant filter with the client's, in GET, POST and multi-search, as one node does", async () => {
    const token = (side: Side) => side.credentials["tenant token with a filter rule"];
    const ids = async (answer: Response) => {
      const body = (await answer.json()) as {
        hits?: { id: number }[];
        results?: { hits: { id: number }[] }[];
        code?: string;
      };
      if (body.results !== undefined)
        return body.results.map((r) => r.hits.map((h) => h.id).sort());
      return body.hits?.map((hit) => hit.id).sort() ?? body.code;
    };
    const asks: ((side: Side) => Promise<Response>)[] = [
      (side) =>
        side.call(
          "/indexes/movies/search",
          withBearer(json({ q: "", filter: "title = Alpha OR title = Bravo" }), token(side)),
        ),
      (side) =>
        side.call(
          "/indexes/movies/search",
          withBearer(
            json({ q: "", filter: [["title = Alpha", "title = Bravo"], "id < 5"] }),
            token(side),
          ),
        ),
      (side) =>
        side.call(
          `/indexes/movies/search?q=&filter=${encodeURIComponent("id > 2")}`,
          withBearer({}, token(side)),
        ),
      (side) =>
        side.call(
          "/multi-search",
          withBearer(
            json({ queries: [{ indexUid: "movies", q: "", filter: "id != 3" }] }),
            token(side),
          ),
        ),
      (side) =>
        side.call(
          "/multi-search",
          withBearer(json({ queries: [{ indexUid: "books", q: "" }] }), token(side)),
        ),
    ];
    for (const ask of asks) {
      const [through, direct] = await Promise.all([ask(sides.miroir), ask(sides.single)]);
      expect(through.status).toBe(direct.status);
      expect(await ids(through)).toEqual(await ids(direct));
    }
  });

  it("refuses creating or swapping indexes a key's patterns do not allow, as one node does", async () => {
    const creatorOf = async (side: Side) =>
      (
        (await (
          await side.call(
            "/keys",
            withBearer(
              json({
                actions: ["indexes.create", "indexes.swap"],
                indexes: ["books*"],
                expiresAt: null,
              }),
              MASTER,
            ),
          )
        ).json()) as { key: string }
      ).key;
    const asks: [string, unknown][] = [
      ["/indexes", { uid: "movies2" }],
      ["/indexes", { uid: "books2" }],
      ["/swap-indexes", [{ indexes: ["books2", "movies"] }]],
      ["/swap-indexes", [{ indexes: ["books2", "books3"] }]],
    ];
    const [miroirKey, singleKey] = await Promise.all([
      creatorOf(sides.miroir),
      creatorOf(sides.single),
    ]);
    for (const [path, body] of asks) {
      const [through, direct] = await Promise.all([
        outcome(sides.miroir.call, path, json(body), miroirKey),
        outcome(sides.single.call, path, json(body), singleKey),
      ]);
      expect(through, `${path} ${JSON.stringify(body)}`).toEqual(direct);
    }
  });
});
