import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";
import type { NodeTask } from "../../tasks/node-task.js";
import { accepted } from "../accepted.js";
import { runOnEveryNode } from "./every-node-task.js";

/** Dumps and snapshots of one node at a time never interleave with each other's FIFO. */
const BACKUP_QUEUE = "\u0000backups";

/**
 * `POST /dumps` and `POST /snapshots`: one Miroir task that has every node write its own
 * dump or snapshot (each holds only its shards); it succeeds when all of them do, and its
 * details name each node's task and file (docs/restore-from-dumps.md).
 */
export function backupRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();

  routes.post("/dumps", async () =>
    accepted(
      await runOnEveryNode(ctx, {
        queueKey: BACKUP_QUEUE,
        task: { indexUid: null, type: "dumpCreation", details: { dumpUid: null } },
        request: { method: "POST", path: "/dumps" },
        finishedDetails: (recorded, nodeTasks) => ({
          ...recorded,
          nodes: perNode(nodeTasks, (task) => {
            const dumpUid = task.details?.dumpUid;
            return typeof dumpUid === "string" ? { dumpUid, file: `${dumpUid}.dump` } : {};
          }),
        }),
      }),
    ),
  );

  routes.post("/snapshots", async () =>
    accepted(
      await runOnEveryNode(ctx, {
        queueKey: BACKUP_QUEUE,
        task: { indexUid: null, type: "snapshotCreation", details: null },
        request: { method: "POST", path: "/snapshots" },
        finishedDetails: (recorded, nodeTasks) => ({
          ...recorded,
          nodes: perNode(nodeTasks, () => ({})),
        }),
      }),
    ),
  );

  return routes;
}

/** Node id → that node's task uid and status, plus what `extra` reads from its task. */
export function perNode(
  nodeTasks: ReadonlyMap<string, NodeTask>,
  extra: (task: NodeTask) => Record<string, unknown>,
): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    [...nodeTasks]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([nodeId, task]) => [
        nodeId,
        {
          taskUid: task.uid,
          status: task.status,
          ...(task.status === "succeeded" ? extra(task) : {}),
        },
      ]),
  );
}
