import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "@miroir/config";
import { type Cluster, startCluster } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxy, type RunningProxy } from "../src/index.js";
import { json } from "./proxy-cluster.js";
import { guardedAdmin } from "./test-config.js";

describe("Miroir tasks", () => {
  let cluster: Cluster;
  let directory: string;
  let proxy: RunningProxy | undefined;

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 2, shards: 4 });
    directory = await mkdtemp(join(tmpdir(), "miroir-tasks-"));
  });
  afterAll(async () => {
    await proxy?.close();
    await cluster?.stop();
    await rm(directory, { recursive: true, force: true });
  });

  const start = async () => {
    await proxy?.close();
    const config = parseConfig({
      ...guardedAdmin(cluster.config),
      task_store: { backend: "sqlite", path: join(directory, "miroir.db") },
      task_registry: { poll_interval_ms: 20 },
      server: { host: "127.0.0.1", log_level: "silent" },
    });
    proxy = await createProxy(config);
    return (await proxy.listen(0)).url;
  };

  const finished = async (url: string, uid: number) => {
    for (let attempt = 0; attempt < 300; attempt++) {
      const task = (await (await fetch(`${url}/tasks/${uid}`)).json()) as { status: string };
      if (task.status !== "enqueued" && task.status !== "processing") return task;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("task never finished");
  };

  it("survive a proxy restart with their status, and uids keep increasing", async () => {
    let url = await start();
    // A node whose queue is held keeps the task unfinished across the restart.
    const held = cluster.nodes[0]?.control;
    if (held === undefined) throw new Error("no control for node-0");
    const hold = await held.holdQueue();
    const answer = await fetch(
      `${url}/indexes/kept/documents?primaryKey=id`,
      json(Array.from({ length: 20 }, (_, id) => ({ id }))),
    );
    const { taskUid } = (await answer.json()) as { taskUid: number };
    await proxy?.close();
    proxy = undefined;

    url = await start();
    const waiting = (await (await fetch(`${url}/tasks/${taskUid}`)).json()) as { status: string };
    expect(["enqueued", "processing"]).toContain(waiting.status);
    await hold.release();
    const task = await finished(url, taskUid);
    expect(task).toMatchObject({ uid: taskUid, status: "succeeded", indexUid: "kept" });
    const next = await fetch(`${url}/indexes/kept/documents`, json([{ id: 99 }]));
    const nextUid = ((await next.json()) as { taskUid: number }).taskUid;
    expect(nextUid).toBeGreaterThan(taskUid);
    await finished(url, nextUid);
    const listed = (await (await fetch(`${url}/tasks?indexUids=kept`)).json()) as {
      results: { uid: number }[];
      total: number;
    };
    expect(listed.results.map((entry) => entry.uid)).toContain(taskUid);
    const batch = (await (await fetch(`${url}/batches/${taskUid}`)).json()) as Record<
      string,
      unknown
    >;
    expect(batch).toMatchObject({
      uid: taskUid,
      stats: {
        totalNbTasks: 1,
        status: { succeeded: 1 },
        types: { documentAdditionOrUpdate: 1 },
        indexUids: { kept: 1 },
      },
    });
    const batches = (await (await fetch(`${url}/batches?limit=1`)).json()) as {
      results: unknown[];
      next: number | null;
    };
    expect(batches.results).toHaveLength(1);
    expect(batches.next).not.toBeNull();
  });

  it("answers task_not_found for an unknown uid and invalid_task_uids for a bad one", async () => {
    const base = await start();
    const missing = await fetch(`${base}/tasks/424242`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "task_not_found" });
    const bad = await fetch(`${base}/tasks?statuses=sleeping`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "invalid_task_statuses" });
    const noBatch = await fetch(`${base}/batches/424242`);
    expect(noBatch.status).toBe(404);
    expect(await noBatch.json()).toMatchObject({ code: "batch_not_found" });
    const unfiltered = await fetch(`${base}/tasks`, { method: "DELETE" });
    expect(await unfiltered.json()).toMatchObject({ code: "missing_task_filters" });
  });
});
