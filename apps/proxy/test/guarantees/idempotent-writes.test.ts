import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "@miroir/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxy, type RunningProxy } from "../../src/index.js";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";
import { guardedAdmin } from "../test-config.js";

function keyed(key: string, body: unknown, method = "POST"): RequestInit {
  const init = json(body, method);
  return { ...init, headers: { ...(init.headers as object), "idempotency-key": key } };
}

async function taskCount(env: ProxiedCluster, indexUid: string): Promise<number> {
  const page = (await (await env.miroir(`/tasks?indexUids=${indexUid}&limit=0`)).json()) as {
    total: number;
  };
  return page.total;
}

describe("writes with an Idempotency-Key", () => {
  let env: ProxiedCluster;
  let directory: string;
  let second: RunningProxy | undefined;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "miroir-idempotency-"));
    env = await startProxiedCluster(
      { nodes: 3, rf: 2, shards: 8 },
      { task_store: { backend: "sqlite", path: join(directory, "miroir.db") } },
    );
    const created = await env.miroir("/indexes", json({ uid: "books", primaryKey: "id" }));
    await env.waitTask(((await created.json()) as { taskUid: number }).taskUid);
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await env?.stop();
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });

  it("answers a repeat with the first answer and the same task, without writing again", async () => {
    const before = await taskCount(env, "books");
    const body = [{ id: 1, title: "Dune" }];
    const first = await env.miroir("/indexes/books/documents", keyed("add-1", body));
    expect(first.status).toBe(202);
    const firstTask = (await first.json()) as { taskUid: number };
    await env.waitTask(firstTask.taskUid);
    for (let repeat = 0; repeat < 3; repeat++) {
      const again = await env.miroir("/indexes/books/documents", keyed("add-1", body));
      expect(again.status).toBe(202);
      expect(again.headers.get("x-miroir-idempotent-replay")).toBe("true");
      expect(await again.json()).toEqual(firstTask);
    }
    expect(await taskCount(env, "books")).toBe(before + 1);
  });

  it("refuses the key with another body, method or path: 409 miroir_idempotency_key_reused, nothing written", async () => {
    const first = await env.miroir("/indexes/books/documents", keyed("add-2", [{ id: 2 }]));
    expect(first.status).toBe(202);
    const before = await taskCount(env, "books");
    for (const [path, init] of [
      ["/indexes/books/documents", keyed("add-2", [{ id: 3 }])],
      ["/indexes/books/documents", keyed("add-2", [{ id: 2 }], "PUT")],
      ["/indexes/books/documents/delete-batch", keyed("add-2", [2])],
    ] as const) {
      const refused = await env.miroir(path, init);
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({
        code: "miroir_idempotency_key_reused",
        type: "invalid_request",
        link: "docs/errors.md#miroir_idempotency_key_reused",
      });
    }
    expect(await taskCount(env, "books")).toBe(before);
    const missing = await env.miroir("/indexes/books/documents/3");
    expect(missing.status).toBe(404);
  });

  it("lets exactly one of 20 concurrent duplicates, spread over two proxies sharing the store, write", async () => {
    const config = parseConfig(
      guardedAdmin({
        ...env.cluster.config,
        task_store: { backend: "sqlite", path: join(directory, "miroir.db") },
        task_registry: { poll_interval_ms: 20 },
        server: { host: "127.0.0.1", log_level: "silent" },
      }),
    );
    second = await createProxy(config);
    const secondUrl = (await second.listen(0)).url;
    const before = await taskCount(env, "books");
    const body = Array.from({ length: 50 }, (_, i) => ({ id: 100 + i, title: `book ${i}` }));
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(
          `${i % 2 === 0 ? env.url : secondUrl}/indexes/books/documents`,
          keyed("batch-100", body),
        ),
      ),
    );
    const tasks = await Promise.all(
      answers.map(async (answer) => [answer.status, await answer.json()]),
    );
    const uids = new Set(tasks.map(([, task]) => (task as { taskUid: number }).taskUid));
    expect(tasks.every(([status]) => status === 202)).toBe(true);
    expect(uids.size).toBe(1);
    expect(await taskCount(env, "books")).toBe(before + 1);
    const task = await env.waitTask([...uids][0] as number);
    expect(task).toMatchObject({ status: "succeeded", details: { receivedDocuments: 50 } });
  });

  it("remembers a key across a proxy restart", async () => {
    const body = { displayedAttributes: ["*"] };
    const first = await env.miroir("/indexes/books/settings", keyed("settings-1", body, "PATCH"));
    expect(first.status).toBe(202);
    const firstTask = await first.json();
    const config = parseConfig(
      guardedAdmin({
        ...env.cluster.config,
        task_store: { backend: "sqlite", path: join(directory, "miroir.db") },
        server: { host: "127.0.0.1", log_level: "silent" },
      }),
    );
    const restarted = await createProxy(config);
    try {
      const url = (await restarted.listen(0)).url;
      const again = await fetch(
        `${url}/indexes/books/settings`,
        keyed("settings-1", body, "PATCH"),
      );
      expect(again.status).toBe(202);
      expect(await again.json()).toEqual(firstTask);
    } finally {
      await restarted.close();
    }
  });

  it("scopes keys by credential and ignores them on reads; refuses a malformed key", async () => {
    const search = await env.miroir("/indexes/books/search", keyed("add-1", { q: "dune" }));
    expect(search.status).toBe(200);
    expect(search.headers.get("x-miroir-idempotent-replay")).toBeNull();
    const malformed = await env.miroir(
      "/indexes/books/documents",
      keyed(" spaced key", [{ id: 9 }]),
    );
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: "miroir_invalid_request" });
  });
});
