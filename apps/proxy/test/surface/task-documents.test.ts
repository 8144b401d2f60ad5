import type { QueueHold } from "@miroir/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

interface ErrorBody {
  message: string;
  code: string;
  type: string;
  link: string;
}

describe("GET /tasks/{uid}/documents over sharded, replicated nodes", () => {
  let env: ProxiedCluster;
  let holds: QueueHold[] = [];

  beforeAll(async () => {
    // Two groups, two replicas per group: every shard lives on four nodes.
    env = await startProxiedCluster({ nodes: 6, groups: 2, rf: 2, shards: 8 });
    const created = await env.miroir("/indexes", json({ uid: "held", primaryKey: "id" }));
    await env.waitTask(((await created.json()) as { taskUid: number }).taskUid);
  });
  afterEach(async () => {
    await releaseAll();
    await switchFeature(false);
  });
  afterAll(async () => {
    await env?.stop();
  });

  async function switchFeature(enabled: boolean): Promise<void> {
    const answer = await env.miroir(
      "/experimental-features",
      json({ getTaskDocumentsRoute: enabled }, "PATCH"),
    );
    expect(answer.status).toBe(200);
  }

  async function releaseAll(): Promise<void> {
    await Promise.all(holds.splice(0).map((hold) => hold.release()));
  }

  /** A write that waits on every node: each node's queue is held before it is sent. */
  async function heldWrite(documents: readonly object[]): Promise<number> {
    holds = await Promise.all(
      env.cluster.nodes.map((node) => {
        if (node.control === undefined) throw new Error(`no control for ${node.id}`);
        return node.control.holdQueue();
      }),
    );
    const written = await env.miroir("/indexes/held/documents", json(documents));
    expect(written.status).toBe(202);
    return ((await written.json()) as { taskUid: number }).taskUid;
  }

  /** The documents of an update file: JSON objects one after the other, as a node writes them. */
  function documentsOf(text: string): { id: number }[] {
    return JSON.parse(`[${text.replaceAll("}{", "},{")}]`) as { id: number }[];
  }

  async function expectError(path: string, status: number, code: string): Promise<ErrorBody> {
    const answer = await env.miroir(path);
    expect(answer.status).toBe(status);
    const body = (await answer.json()) as ErrorBody;
    expect(body).toMatchObject({ code, link: `https://docs.meilisearch.com/errors#${code}` });
    return body;
  }

  it("answers every document of a waiting write once, as a node writes them, without _miroir_shard", async () => {
    await switchFeature(true);
    const documents = Array.from({ length: 40 }, (_, id) => ({
      id,
      title: `doc ${id}`,
      tags: id % 3 === 0 ? ["third"] : [],
    }));
    const taskUid = await heldWrite(documents);
    const answer = await env.miroir(`/tasks/${taskUid}/documents`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const text = await answer.text();
    // JSON objects one after the other, no separator: what one node answers.
    expect(text).toMatch(/^\{.*\}$/s);
    expect(text).not.toContain("\n");
    const received = documentsOf(text);
    expect(received).toHaveLength(documents.length);
    expect([...received].sort((a, b) => a.id - b.id)).toEqual(documents);
    expect(text).not.toContain("_miroir");
  });

  it("passes the nodes' feature_not_enabled through once while the feature is off", async () => {
    const taskUid = await heldWrite([{ id: 1 }, { id: 2 }]);
    const body = await expectError(`/tasks/${taskUid}/documents`, 400, "feature_not_enabled");
    expect(body.message).toContain("get task documents route");
    await expectError("/tasks/999999/documents", 400, "feature_not_enabled");
  });

  it("answers task_file_not_found once the write is processed, and for a task with no documents", async () => {
    await switchFeature(true);
    const written = await env.miroir("/indexes/held/documents", json([{ id: 7 }]));
    const { taskUid } = (await written.json()) as { taskUid: number };
    await env.waitTask(taskUid);
    const gone = await expectError(`/tasks/${taskUid}/documents`, 404, "task_file_not_found");
    expect(gone.message).toContain(`Task \`${taskUid}\` does not contain any documents`);
    const settings = await env.miroir(
      "/indexes/held/settings",
      json({ searchableAttributes: ["title"] }, "PATCH"),
    );
    const settingsTask = ((await settings.json()) as { taskUid: number }).taskUid;
    await env.waitTask(settingsTask);
    await expectError(`/tasks/${settingsTask}/documents`, 404, "task_file_not_found");
  });

  it("answers task_not_found for an unknown task and invalid_task_uids for a bad uid", async () => {
    await switchFeature(true);
    await expectError("/tasks/999999/documents", 404, "task_not_found");
    await expectError("/tasks/abc/documents", 400, "invalid_task_uids");
  });

  it("still answers the whole write when one replica has processed its part", async () => {
    await switchFeature(true);
    const documents = Array.from({ length: 24 }, (_, id) => ({ id: 100 + id }));
    const first = env.cluster.nodes[0];
    if (first === undefined) throw new Error("no node");
    const taskUid = await heldWrite(documents);
    await holds[0]?.release();
    const record = await env.proxy.context.taskStore.tasks.get(taskUid);
    const nodeTaskUid = record?.nodeTasks[first.id];
    expect(nodeTaskUid).toBeDefined();
    let status = "";
    for (let attempt = 0; attempt < 400 && status !== "succeeded"; attempt++) {
      const task = await env.node(first.id, `/tasks/${nodeTaskUid}`);
      status = ((await task.json()) as { status: string }).status;
      if (status !== "succeeded") await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(status).toBe("succeeded");
    const answer = await env.miroir(`/tasks/${taskUid}/documents`);
    expect(answer.status).toBe(200);
    const ids = documentsOf(await answer.text())
      .map((document) => document.id)
      .sort((a, b) => a - b);
    expect(ids).toEqual(documents.map((document) => document.id));
  });
});
