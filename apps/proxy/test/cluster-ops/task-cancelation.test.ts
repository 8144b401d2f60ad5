import type { NodeControl, QueueHold } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";
import { eventually } from "./eventually.js";

interface TaskView {
  uid: number;
  status: string;
  type: string;
  canceledBy: number | null;
  details: Record<string, unknown>;
  error: unknown;
}

describe("canceling an unfinished write through Miroir (2 groups × 2 nodes, RF 1)", () => {
  let env: ProxiedCluster;
  let holds: QueueHold[] = [];
  const controls = () => env.cluster.nodes.map((node) => node.control as NodeControl);
  const release = async () => {
    await Promise.all(holds.splice(0).map((hold) => hold.release()));
  };
  const task = async (uid: number) =>
    (await (await env.miroir(`/tasks/${uid}`)).json()) as TaskView;

  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 4, groups: 2, rf: 1, shards: 8 });
    const created = await env.miroir("/indexes", json({ uid: "queued", primaryKey: "id" }));
    await env.waitTask(((await created.json()) as { taskUid: number }).taskUid);
  });
  afterAll(async () => {
    await release();
    await env?.stop();
  });

  it("cancels every node task, and the Miroir task ends canceled by a taskCancelation task", async () => {
    // Every node's queue is held, so the write waits on every node.
    holds = await Promise.all(controls().map((control) => control.holdQueue()));
    const documents = Array.from({ length: 30 }, (_, id) => ({ id, title: `queued ${id}` }));
    const written = await env.miroir("/indexes/queued/documents", json(documents));
    expect(written.status).toBe(202);
    const { taskUid } = (await written.json()) as { taskUid: number };
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await task(taskUid)).status).toBe("enqueued");

    const canceling = await env.miroir(`/tasks/cancel?uids=${taskUid}`, { method: "POST" });
    expect(canceling.status).toBe(200);
    const enqueued = (await canceling.json()) as { taskUid: number; type: string; status: string };
    expect(enqueued).toMatchObject({ type: "taskCancelation", status: "enqueued" });
    // A node runs a cancelation ahead of the tasks it waits behind, once its queue moves.
    await release();

    const cancelation = await env.waitTask(enqueued.taskUid);
    expect(cancelation).toMatchObject({
      status: "succeeded",
      type: "taskCancelation",
      details: { matchedTasks: 1, canceledTasks: 1, originalFilter: `?uids=${taskUid}` },
    });
    const canceled = await env.waitTask(taskUid);
    expect(canceled).toMatchObject({
      status: "canceled",
      canceledBy: enqueued.taskUid,
      error: null,
    });

    for (const node of env.cluster.nodes) {
      const page = (await (
        await env.node(node.id, "/tasks?indexUids=queued&types=documentAdditionOrUpdate")
      ).json()) as { results: TaskView[] };
      expect(page.results.length).toBeGreaterThan(0);
      for (const nodeTask of page.results) expect(nodeTask.status).toBe("canceled");
    }

    const later = await env.miroir("/indexes/queued/documents", json([{ id: 99, title: "after" }]));
    expect((await env.waitTask(((await later.json()) as { taskUid: number }).taskUid)).status).toBe(
      "succeeded",
    );
    const held = await eventually(
      async () => {
        const answer = await env.miroir("/indexes/queued/documents?limit=100");
        return ((await answer.json()) as { results: { id: number }[] }).results.map(
          (document) => document.id,
        );
      },
      (ids) => ids.length > 0,
    );
    expect(held).toEqual([99]);
  });
});
