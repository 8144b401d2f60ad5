import { type EmulatedNode, startNode } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProxiedCluster, startProxiedCluster } from "./proxy-cluster.js";

const LIMIT = 64 * 1024;

interface Case {
  readonly name: string;
  readonly contentType?: string;
  readonly body: string;
  readonly code: string;
  /** Where a single Meilisearch node reports it: the HTTP answer or a failed task. */
  readonly where: "response" | "task";
  readonly status?: number;
}

const valid = (from: number) =>
  Array.from({ length: 20 }, (_, i) => ({ id: `doc-${from + i}`, title: "ok" }));

const cases: Case[] = [
  {
    name: "one invalid id",
    contentType: "application/json",
    body: JSON.stringify([...valid(0), { id: "not valid!", title: "bad" }]),
    code: "invalid_document_id",
    where: "task",
  },
  {
    name: "one document without the primary key",
    contentType: "application/json",
    body: JSON.stringify([...valid(100), { title: "no id" }]),
    code: "missing_document_id",
    where: "task",
  },
  {
    name: "malformed JSON",
    contentType: "application/json",
    body: `${JSON.stringify(valid(200)).slice(0, -1)},{"id": }`,
    code: "malformed_payload",
    where: "response",
    status: 400,
  },
  {
    name: "malformed NDJSON on the last line",
    contentType: "application/x-ndjson",
    body: `${valid(250)
      .map((doc) => JSON.stringify(doc))
      .join("\n")}\n{"id": "x"`,
    code: "malformed_payload",
    where: "response",
    status: 400,
  },
  {
    name: "a wrong content type",
    contentType: "text/plain",
    body: JSON.stringify(valid(300)),
    code: "invalid_content_type",
    where: "response",
    status: 415,
  },
  {
    name: "no content type",
    body: JSON.stringify(valid(400)),
    code: "missing_content_type",
    where: "response",
    status: 415,
  },
];

async function answerOf(
  send: (path: string, init: RequestInit) => Promise<Response>,
  waitTask: (uid: number) => Promise<Record<string, unknown>>,
  test: Pick<Case, "contentType" | "body">,
) {
  const headers: Record<string, string> = {};
  if (test.contentType !== undefined) headers["content-type"] = test.contentType;
  const answer = await send("/indexes/books/documents?primaryKey=id", {
    method: "POST",
    headers,
    body: new TextEncoder().encode(test.body),
  });
  const body = (await answer.json()) as Record<string, unknown>;
  if (answer.status !== 202) return { where: "response", status: answer.status, body };
  const task = await waitTask(body.taskUid as number);
  return { where: "task", status: answer.status, body: task.error as Record<string, unknown> };
}

describe("a bad batch", () => {
  let env: ProxiedCluster;
  let single: EmulatedNode;

  beforeAll(async () => {
    env = await startProxiedCluster(
      { nodes: 3, shards: 8 },
      { server: { host: "127.0.0.1", log_level: "silent", body_limit_bytes: LIMIT } },
    );
    single = await startNode({ masterKey: null });
  });
  afterAll(async () => {
    await env?.stop();
    await single?.stop();
  });

  const singleWaitTask = async (uid: number) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const task = (await (await fetch(`${single.url}/tasks/${uid}`)).json()) as Record<
        string,
        unknown
      >;
      if (task.status === "succeeded" || task.status === "failed") return task;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("single node task did not finish");
  };

  for (const test of cases) {
    it(`with ${test.name} is rejected with ${test.code} where one Meilisearch node rejects it, and writes nothing`, async () => {
      const alone = await answerOf(
        (path, init) => fetch(`${single.url}${path}`, init),
        singleWaitTask,
        test,
      );
      expect(alone.where).toBe(test.where);
      expect(alone.body.code).toBe(test.code);

      const miroir = await answerOf(env.miroir, env.waitTask, test);
      expect(miroir.where).toBe(test.where);
      expect(miroir.body).toMatchObject({ code: test.code, type: "invalid_request" });
      if (test.status !== undefined) expect(miroir.status).toBe(test.status);
      await expectNoDocuments(env);
    });
  }

  it("with a reserved _miroir_ field fails its task with miroir_reserved_field and writes nothing", async () => {
    const miroir = await answerOf(env.miroir, env.waitTask, {
      contentType: "application/json",
      body: JSON.stringify([...valid(500), { id: "sneaky", _miroir_shard: 3 }]),
    });
    expect(miroir.where).toBe("task");
    expect(miroir.body).toMatchObject({ code: "miroir_reserved_field", type: "invalid_request" });
    await expectNoDocuments(env);
  });

  it("over the body limit is answered 413 payload_too_large and writes nothing", async () => {
    const big = JSON.stringify(
      Array.from({ length: 3000 }, (_, i) => ({ id: `big-${i}`, text: "x".repeat(20) })),
    );
    expect(big.length).toBeGreaterThan(LIMIT);
    const miroir = await answerOf(env.miroir, env.waitTask, {
      contentType: "application/json",
      body: big,
    });
    expect(miroir).toMatchObject({ where: "response", status: 413 });
    expect(miroir.body.code).toBe("payload_too_large");
    await expectNoDocuments(env);
  });

  it("streamed without a Content-Length over the limit is answered 413 too", async () => {
    const chunk = new TextEncoder().encode(`[${'{"id":"a"},'.repeat(1000)}`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > LIMIT * 2) {
          controller.close();
          return;
        }
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const answer = await env.miroir("/indexes/books/documents", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(answer.status).toBe(413);
    expect(((await answer.json()) as { code: string }).code).toBe("payload_too_large");
  });
});

async function expectNoDocuments(env: ProxiedCluster): Promise<void> {
  for (const node of env.cluster.nodes) {
    const answer = await env.node(node.id, "/indexes/books/documents?limit=1");
    if (answer.status === 404) continue;
    expect(((await answer.json()) as { total: number }).total).toBe(0);
  }
}
