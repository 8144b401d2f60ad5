import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

interface BatchPage {
  results: { uid: number; stats: Record<string, unknown>; details: Record<string, unknown> }[];
  total: number;
  limit: number;
  from: number | null;
  next: number | null;
}

describe("batches: one batch per Miroir task, from the task store", () => {
  let env: ProxiedCluster;
  const taskUids: number[] = [];
  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 2, shards: 8 });
    for (const id of [1, 2, 3]) {
      const answer = await env.miroir(
        "/indexes/batched/documents?primaryKey=id",
        json([{ id, title: `title ${id}` }]),
      );
      const { taskUid } = (await answer.json()) as { taskUid: number };
      await env.waitTask(taskUid);
      taskUids.push(taskUid);
    }
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("shows a Miroir task's batch under the task's batchUid in Meilisearch's batch shape", async () => {
    const uid = taskUids[0] as number;
    const task = await env.waitTask(uid);
    const answer = await env.miroir(`/batches/${String(task.batchUid)}`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      uid,
      progress: null,
      details: task.details,
      stats: {
        totalNbTasks: 1,
        status: { succeeded: 1 },
        types: { documentAdditionOrUpdate: 1 },
        indexUids: { batched: 1 },
        progressTrace: {},
      },
      duration: expect.stringMatching(/^PT[\d.]+S$/),
      startedAt: task.startedAt,
      finishedAt: task.finishedAt,
      batchStrategy: "batched up to configured batch size of 1 tasks",
    });
  });

  it("lists batches newest first, filtered, paginated with from/limit/next", async () => {
    const all = (await (await env.miroir("/batches?indexUids=batched")).json()) as BatchPage;
    expect(all.results.map((batch) => batch.uid)).toEqual([...taskUids].reverse());
    expect(all.total).toBe(3);
    const first = (await (
      await env.miroir("/batches?indexUids=batched&limit=2")
    ).json()) as BatchPage;
    expect(first.results.map((batch) => batch.uid)).toEqual([taskUids[2], taskUids[1]]);
    expect(first.next).toBe(taskUids[0]);
    const second = (await (
      await env.miroir(`/batches?indexUids=batched&limit=2&from=${String(first.next)}`)
    ).json()) as BatchPage;
    expect(second.results.map((batch) => batch.uid)).toEqual([taskUids[0]]);
    expect(second.next).toBeNull();
    const none = (await (await env.miroir("/batches?statuses=enqueued")).json()) as BatchPage;
    expect(none).toMatchObject({ results: [], total: 0 });
  });

  it("answers batch_not_found and invalid_batch_uids like Meilisearch", async () => {
    const missing = await env.miroir("/batches/999999");
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe("batch_not_found");
    const invalid = await env.miroir("/batches/first");
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { code: string }).code).toBe("invalid_batch_uids");
    const badFilter = await env.miroir("/batches?statuses=lost");
    expect(((await badFilter.json()) as { code: string }).code).toBe("invalid_task_statuses");
  });
});
