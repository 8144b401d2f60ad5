import { openTaskStore, type TaskStore } from "@miroir/taskstore";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { NodeClient, NodeRequest } from "../node-client/index.js";
import type { NodeTask } from "./node-task.js";
import { createTaskRefresh, type TaskRefresh } from "./task-refresh.js";

let store: TaskStore;
let refresh: TaskRefresh;
/** The node's tasks, as it would list them, and every `GET /tasks` it answered. */
let nodeStatus: NodeTask["status"];
let reads: NodeRequest[];
/** Holds the node's answers while set. */
let gate: Promise<void> | null;

beforeEach(async () => {
  store = await openTaskStore({ backend: "sqlite", path: ":memory:" });
  nodeStatus = "processing";
  reads = [];
  gate = null;
  const nodes: NodeClient = {
    nodeIds: ["node-0"],
    async call<T>(nodeId: string, request: NodeRequest) {
      reads.push(request);
      await gate;
      const uids = String(request.query?.uids ?? "")
        .split(",")
        .map(Number);
      const results = uids.map((uid) => ({
        uid,
        status: nodeStatus,
        type: "documentAdditionOrUpdate",
        indexUid: "books",
        details: { receivedDocuments: 1, indexedDocuments: nodeStatus === "succeeded" ? 1 : null },
        startedAt: "2026-01-01T00:00:01Z",
        finishedAt: nodeStatus === "succeeded" ? "2026-01-01T00:00:02Z" : null,
      }));
      return { nodeId, status: 200, body: { results } as T };
    },
    follow: () => undefined,
    close: async () => undefined,
  };
  refresh = createTaskRefresh({ store, nodes, copies: 1, isCoordinated: () => false });
});

afterEach(async () => {
  await store.close();
});

async function writeTask(nodeUid: number) {
  const task = await store.tasks.create({ indexUid: "books", type: "documentAdditionOrUpdate" });
  return (await store.tasks.update(task.uid, { nodeTasks: { "node-0": nodeUid } })) ?? task;
}

it("answers a reader with what the nodes said after it asked, even right after another refresh", async () => {
  const task = await writeTask(1);
  expect((await refresh.current(task)).status).toBe("processing");
  // The nodes finish just after that refresh: the next reader, inside the pace, still sees it.
  nodeStatus = "succeeded";
  const again = await refresh.current((await store.tasks.get(task.uid)) ?? task);
  expect(again).toMatchObject({ status: "succeeded", details: { indexedDocuments: 1 } });
  expect(reads).toHaveLength(2);
});

it("shares one node read among readers of an index's tasks arriving while one runs", async () => {
  const first = await writeTask(1);
  const second = await writeTask(2);
  let open: () => void = () => undefined;
  gate = new Promise((resolve) => {
    open = resolve;
  });
  const running = refresh.current(first);
  while (reads.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  // The running read covers both tasks (the second rides along): these readers share it.
  const sharing = Array.from({ length: 5 }, (_, i) => refresh.current(i % 2 ? first : second));
  gate = null;
  open();
  await Promise.all([running, ...sharing]);
  expect(reads).toHaveLength(1);
  expect(reads[0]?.query?.uids?.split(",").sort()).toEqual(["1", "2"]);
  // Readers arriving once it is done wait for the next one, all of them together.
  const later = await Promise.all(
    Array.from({ length: 6 }, (_, i) => refresh.current(i % 2 ? first : second)),
  );
  expect(reads).toHaveLength(2);
  expect(later.map((task) => task.status)).toEqual(Array(6).fill("processing"));
});
