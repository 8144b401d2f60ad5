import { type Cluster, startCluster } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";
import { eventually } from "./eventually.js";

const MASTER = "visible-lists-master-key-0123456789";

type Call = (path: string, init?: RequestInit) => Promise<Response>;

interface Side {
  readonly call: Call;
  /** A key with every action on `mo*` and `books` only. */
  readonly limitedKey: string;
  /** Uid of a task of the hidden index `music`. */
  readonly hiddenTask: number;
}

const bearer = (token: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { ...(init.headers ?? {}), authorization: `Bearer ${token}` },
});

/** Builds the same history on one side through its own API, with the master key. */
async function prepare(call: Call): Promise<Side> {
  const send = async (path: string, init: RequestInit) => {
    const answer = await call(path, bearer(MASTER, init));
    const { taskUid } = (await answer.json()) as { taskUid: number };
    await eventually(
      async () =>
        ((await (await call(`/tasks/${taskUid}`, bearer(MASTER))).json()) as { status: string })
          .status,
      (status) => ["succeeded", "failed", "canceled"].includes(status),
    );
    return taskUid;
  };
  for (const uid of ["movies", "books", "music"]) {
    await send("/indexes", json({ uid, primaryKey: "id" }));
  }
  await send("/indexes/movies/documents", json([{ id: 1, title: "Alpha" }]));
  await send("/indexes/books/documents", json([{ id: 1, title: "Bravo" }]));
  const hiddenTask = await send("/indexes/music/documents", json([{ id: 1, title: "Coda" }]));
  await send("/tasks/cancel?uids=999999", { method: "POST" });
  const created = await call(
    "/keys",
    bearer(MASTER, json({ actions: ["*"], indexes: ["mo*", "books"], expiresAt: null })),
  );
  const { key } = (await created.json()) as { key: string };
  return { call, limitedKey: key, hiddenTask };
}

async function read<T>(side: Side, path: string, token = side.limitedKey) {
  const answer = await side.call(path, bearer(token));
  return { status: answer.status, body: (await answer.json()) as T };
}

interface TaskList {
  results: { type: string; indexUid: string | null; status: string }[];
  total: number;
  next: number | null;
}

describe("lists filtered by what the key may see, like one node", () => {
  let proxied: ProxiedCluster;
  let single: Cluster;
  let miroir: Side;
  let node: Side;

  beforeAll(async () => {
    [proxied, single] = await Promise.all([
      startProxiedCluster({ nodes: 3, shards: 8 }, { master_key: MASTER }),
      startCluster({ nodes: 1, nodeMasterKey: MASTER }),
    ]);
    const address = single.nodes[0]?.address as string;
    [miroir, node] = await Promise.all([
      prepare(proxied.miroir),
      prepare((path, init) => fetch(`${address}${path}`, init)),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([proxied?.stop(), single?.stop()]);
  });

  it("GET /indexes lists only the indexes the key may act on", async () => {
    type Indexes = { results: { uid: string }[]; total: number };
    const [fromMiroir, fromNode] = await Promise.all([
      read<Indexes>(miroir, "/indexes"),
      read<Indexes>(node, "/indexes"),
    ]);
    expect(fromMiroir.body.results.map((index) => index.uid)).toEqual(["books", "movies"]);
    expect(fromMiroir.body.results.map((index) => index.uid)).toEqual(
      fromNode.body.results.map((index) => index.uid),
    );
    expect(fromMiroir.body.total).toBe(fromNode.body.total);
    const everything = await read<Indexes>(miroir, "/indexes", MASTER);
    expect(everything.body.total).toBe(3);
  });

  it("GET /stats shows only those indexes", async () => {
    type Stats = { indexes: Record<string, unknown> };
    const [fromMiroir, fromNode] = await Promise.all([
      read<Stats>(miroir, "/stats"),
      read<Stats>(node, "/stats"),
    ]);
    expect(Object.keys(fromMiroir.body.indexes).sort()).toEqual(["books", "movies"]);
    expect(Object.keys(fromMiroir.body.indexes).sort()).toEqual(
      Object.keys(fromNode.body.indexes).sort(),
    );
  });

  it("GET /tasks lists and pages only their tasks, never a task of no index, counting every task", async () => {
    const shape = (list: TaskList) =>
      list.results.map(({ type, indexUid }) => ({ type, indexUid }));
    const [fromMiroir, fromNode] = await Promise.all([
      read<TaskList>(miroir, "/tasks"),
      read<TaskList>(node, "/tasks"),
    ]);
    expect(shape(fromMiroir.body)).toEqual(shape(fromNode.body));
    expect(fromMiroir.body.total).toBe(fromNode.body.total);
    expect(fromMiroir.body.results.some((task) => task.indexUid === "music")).toBe(false);
    expect(fromMiroir.body.results.some((task) => task.indexUid === null)).toBe(false);
    const everything = await read<TaskList>(miroir, "/tasks", MASTER);
    expect(everything.body.results.some((task) => task.type === "taskCancelation")).toBe(true);
    expect(fromMiroir.body.total).toBe(everything.body.total);

    // Pages are cut among every task, then narrowed: compare each page with the node's.
    type Paged = TaskList & { from: number | null };
    type Uids = { results: { uid: number }[] };
    const [allOfMiroir, allOfNode] = await Promise.all([
      read<Uids>(miroir, "/tasks", MASTER),
      read<Uids>(node, "/tasks", MASTER),
    ]);
    const starts = allOfMiroir.body.results.map((task, at) => [
      task.uid,
      allOfNode.body.results[at]?.uid,
    ]);
    for (const [fromUid, nodeFromUid] of starts) {
      for (const query of ["limit=1", "limit=2", "limit=2&reverse=true"]) {
        const [pageOfMiroir, pageOfNode] = await Promise.all([
          read<Paged>(miroir, `/tasks?${query}&from=${fromUid}`),
          read<Paged>(node, `/tasks?${query}&from=${nodeFromUid}`),
        ]);
        const view = (page: Paged) => ({
          shape: shape(page),
          total: page.total,
          from: page.from === null ? null : "set",
          next: page.next === null ? null : "set",
        });
        expect(view(pageOfMiroir.body), `${query}&from=${fromUid}`).toEqual(view(pageOfNode.body));
      }
    }
  });

  it("GET /tasks/{uid} of a hidden index's task is task_not_found", async () => {
    const [fromMiroir, fromNode] = await Promise.all([
      read<{ code: string }>(miroir, `/tasks/${miroir.hiddenTask}`),
      read<{ code: string }>(node, `/tasks/${node.hiddenTask}`),
    ]);
    expect([fromMiroir.status, fromMiroir.body.code]).toEqual([404, "task_not_found"]);
    expect([fromMiroir.status, fromMiroir.body.code]).toEqual([
      fromNode.status,
      fromNode.body.code,
    ]);
    expect((await read(miroir, `/tasks/${miroir.hiddenTask}`, MASTER)).status).toBe(200);
  });

  it("GET /batches lists only the batches of their tasks", async () => {
    type Batches = { results: { stats: { indexUids: Record<string, number> } }[]; total: number };
    const indexesOf = (page: Batches) =>
      page.results.map((batch) => Object.keys(batch.stats.indexUids).sort().join(","));
    const [fromMiroir, fromNode] = await Promise.all([
      read<Batches>(miroir, "/batches"),
      read<Batches>(node, "/batches"),
    ]);
    expect(indexesOf(fromMiroir.body)).toEqual(indexesOf(fromNode.body));
    expect(fromMiroir.body.total).toBe(fromNode.body.total);
    expect(indexesOf(fromMiroir.body)).not.toContain("music");
  });
});
