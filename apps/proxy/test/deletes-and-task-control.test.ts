import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "./proxy-cluster.js";

async function total(env: ProxiedCluster, index: string): Promise<number> {
  let sum = 0;
  for (const node of env.cluster.nodes) {
    const answer = await env.node(node.id, `/indexes/${index}/documents?limit=0`);
    if (answer.status === 200) sum += ((await answer.json()) as { total: number }).total;
  }
  return sum;
}

async function idsOn(env: ProxiedCluster, index: string): Promise<Set<number>> {
  const ids = new Set<number>();
  for (const node of env.cluster.nodes) {
    const answer = await env.node(node.id, `/indexes/${index}/documents?limit=10000`);
    for (const doc of ((await answer.json()) as { results: { id: number }[] }).results) {
      ids.add(doc.id);
    }
  }
  return ids;
}

describe("deletions through Miroir (3 nodes, RF 1)", () => {
  let env: ProxiedCluster;
  const run = async (path: string, init: RequestInit) => {
    const answer = await env.miroir(path, init);
    expect(answer.status).toBe(202);
    return env.waitTask(((await answer.json()) as { taskUid: number }).taskUid);
  };

  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 3, shards: 8 });
    const created = await env.miroir("/indexes", json({ uid: "items", primaryKey: "id" }));
    await env.waitTask(((await created.json()) as { taskUid: number }).taskUid);
    const settings = await env.miroir(
      "/indexes/items/settings/filterable-attributes",
      json(["colour"], "PUT"),
    );
    await env.waitTask(((await settings.json()) as { taskUid: number }).taskUid);
    const docs = Array.from({ length: 60 }, (_, id) => ({
      id,
      colour: id % 3 === 0 ? "red" : "blue",
    }));
    await run("/indexes/items/documents", json(docs));
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("deletes one document on the replicas of its shard", async () => {
    const task = await run("/indexes/items/documents/7", { method: "DELETE" });
    expect(task).toMatchObject({ status: "succeeded", type: "documentDeletion" });
    expect((await idsOn(env, "items")).has(7)).toBe(false);
    expect(await total(env, "items")).toBe(59);
  });

  it("deletes a batch of ids split by shard, counting each once", async () => {
    const task = await run(
      "/indexes/items/documents/delete-batch",
      json([1, 2, "4", 5, "not an id!"]),
    );
    expect(task).toMatchObject({
      status: "succeeded",
      details: { providedIds: 5, deletedDocuments: 4 },
    });
    const ids = await idsOn(env, "items");
    for (const id of [1, 2, 4, 5]) expect(ids.has(id)).toBe(false);
    expect(await total(env, "items")).toBe(55);
  });

  it("deletes by filter on every node, with Meilisearch's details", async () => {
    const task = await run("/indexes/items/documents/delete", json({ filter: "colour = red" }));
    expect(task).toMatchObject({
      status: "succeeded",
      details: { originalFilter: '"colour = red"' },
    });
    for (const id of await idsOn(env, "items")) expect(id % 3).not.toBe(0);
  });

  for (const filter of ["unknown_attr = 1", "colour = = ("]) {
    it(`reports the bad filter ${JSON.stringify(filter)} where and as a node reports it`, async () => {
      const direct = await env.node("node-0", "/indexes/items/documents/delete", json({ filter }));
      const miroir = await env.miroir("/indexes/items/documents/delete", json({ filter }));
      expect(miroir.status).toBe(direct.status);
      const nodeBody = (await direct.json()) as { code?: string; taskUid?: number };
      const body = (await miroir.json()) as { code?: string; taskUid?: number };
      if (direct.status !== 202) {
        expect(body.code).toBe(nodeBody.code);
        return;
      }
      let nodeTask: { status: string; error?: { code: string } } = { status: "enqueued" };
      for (let i = 0; i < 100 && ["enqueued", "processing"].includes(nodeTask.status); i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        nodeTask = (await (
          await env.node("node-0", `/tasks/${nodeBody.taskUid}`)
        ).json()) as typeof nodeTask;
      }
      const task = await env.waitTask(body.taskUid as number);
      expect(task.status).toBe(nodeTask.status);
      expect((task.error as { code: string } | null)?.code).toBe(nodeTask.error?.code);
    });
  }

  it("counts a finished task it was asked to cancel as matched but cancels nothing, as Meilisearch", async () => {
    const write = await run("/indexes/items/documents", json([{ id: 1000, colour: "green" }]));
    const cancel = await env.miroir(`/tasks/cancel?uids=${write.uid}`, { method: "POST" });
    expect(cancel.status).toBe(200);
    const cancelation = await env.waitTask(((await cancel.json()) as { taskUid: number }).taskUid);
    expect(cancelation).toMatchObject({
      type: "taskCancelation",
      status: "succeeded",
      details: { matchedTasks: 1, canceledTasks: 0, originalFilter: `?uids=${write.uid}` },
    });
    expect(await env.waitTask(write.uid as number)).toMatchObject({
      status: "succeeded",
      canceledBy: null,
    });
  });

  it("deletes finished tasks from the task list", async () => {
    const removed = await env.miroir("/tasks?types=documentDeletion", { method: "DELETE" });
    expect(removed.status).toBe(200); // as a node answers a task deletion
    const task = await env.waitTask(((await removed.json()) as { taskUid: number }).taskUid);
    expect(task).toMatchObject({ type: "taskDeletion", status: "succeeded" });
    expect((task.details as { deletedTasks: number }).deletedTasks).toBeGreaterThanOrEqual(3);
    const left = (await (await env.miroir("/tasks?types=documentDeletion")).json()) as {
      total: number;
    };
    expect(left.total).toBe(0);
  });

  it("lists tasks oldest first with reverse=true and newest first without", async () => {
    type Page = { results: { uid: number }[] };
    const newest = (await (await env.miroir("/tasks?limit=3")).json()) as Page;
    const oldest = (await (await env.miroir("/tasks?limit=3&reverse=true")).json()) as Page;
    const uids = (page: Page) => page.results.map((task) => task.uid);
    expect(uids(newest)).toEqual([...uids(newest)].sort((a, b) => b - a));
    expect(uids(oldest)).toEqual([...uids(oldest)].sort((a, b) => a - b));
    expect(uids(oldest)[0]).toBe(0);
  });

  it("deletes every document on every node", async () => {
    const task = await run("/indexes/items/documents", { method: "DELETE" });
    expect(task).toMatchObject({ status: "succeeded", type: "documentDeletion" });
    expect(await total(env, "items")).toBe(0);
  });
});
