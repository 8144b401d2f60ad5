import type { NodeControl, QueueHold } from "@miroir/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "./proxy-cluster.js";

let env: ProxiedCluster;
let holds: QueueHold[] = [];

// The background poll is made too slow to matter: only reading a task can finish it.
// Behind relays, so real nodes can be slowed down too.
beforeAll(async () => {
  env = await startProxiedCluster(
    { nodes: 3, shards: 8, rf: 1, relay: true },
    {
      task_registry: { poll_interval_ms: 600_000 },
    },
  );
  const created = await env.miroir("/indexes", json({ uid: "books", primaryKey: "id" }));
  await env.waitTask(((await created.json()) as { taskUid: number }).taskUid);
}, 60_000);

afterAll(async () => {
  await releaseQueues();
  await env?.stop();
});

/** Holds every node's task queue: the writes sent next stay enqueued on the nodes. */
async function holdQueues(): Promise<void> {
  holds = await Promise.all(
    env.cluster.nodes.map((node) => (node.control as NodeControl).holdQueue()),
  );
}

async function releaseQueues(): Promise<void> {
  await Promise.all(holds.splice(0).map((hold) => hold.release()));
}

async function nodeTaskReads(): Promise<number> {
  const metric = await env.proxy.context.metrics.nodeRequestDuration.get();
  return metric.values
    .filter((value) => value.metricName === "miroir_node_request_duration_seconds_count")
    .filter((value) => value.labels.operation === "GET tasks")
    .reduce((sum, value) => sum + value.value, 0);
}

it("shows a write finished as soon as its nodes finished, without waiting for the poll", async () => {
  const rows = Array.from({ length: 30 }, (_, id) => ({ id, title: `book ${id}` }));
  const written = await env.miroir("/indexes/books/documents", json(rows));
  const { taskUid } = (await written.json()) as { taskUid: number };
  const started = Date.now();
  const task = await env.waitTask(taskUid);
  expect(task).toMatchObject({ status: "succeeded", details: { indexedDocuments: 30 } });
  expect(Date.now() - started).toBeLessThan(10_000);
  // Stored as read: a listing, which refreshes nothing, shows it finished too.
  const listed = (await (await env.miroir(`/tasks?uids=${taskUid}`)).json()) as {
    results: { status: string }[];
  };
  expect(listed.results[0]?.status).toBe("succeeded");
});

it("reads each node once for readers that ask for the same unfinished task together", async () => {
  const controls = env.cluster.nodes.map((node) => node.control as NodeControl);
  await holdQueues();
  const written = await env.miroir("/indexes/books/documents", json([{ id: 99, title: "held" }]));
  const { taskUid } = (await written.json()) as { taskUid: number };
  const before = await nodeTaskReads();
  // Slow answers keep the first reader's refresh running while the others arrive.
  for (const control of controls) control.delay(1_000);
  const readers = await Promise.all(
    Array.from({ length: 8 }, () => env.miroir(`/tasks/${taskUid}`).then((r) => r.json())),
  );
  for (const control of controls) control.delay(0);
  for (const task of readers) expect(task).toMatchObject({ uid: taskUid, status: "enqueued" });
  // Only the node owning id 99's shard has a task; its node is read once for all 8 readers.
  expect((await nodeTaskReads()) - before).toBe(1);
  await releaseQueues();
  expect((await env.waitTask(taskUid)).status).toBe("succeeded");
});

it("refreshes the index's other unfinished tasks along with the one read", async () => {
  await holdQueues();
  const uids: number[] = [];
  for (let batch = 0; batch < 3; batch++) {
    const rows = Array.from({ length: 30 }, (_, n) => ({ id: 1_000 + batch * 30 + n }));
    const written = await env.miroir("/indexes/books/documents", json(rows));
    uids.push(((await written.json()) as { taskUid: number }).taskUid);
  }
  await releaseQueues();
  expect((await env.waitTask(uids[2] as number)).status).toBe("succeeded");
  // Listing refreshes nothing and the poll is off: only the last task's readings did it.
  const listed = (await (await env.miroir(`/tasks?uids=${uids.join(",")}`)).json()) as {
    results: { status: string }[];
  };
  expect(listed.results.map((task) => task.status)).toEqual([
    "succeeded",
    "succeeded",
    "succeeded",
  ]);
});
