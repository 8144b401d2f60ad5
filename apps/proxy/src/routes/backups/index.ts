import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";
import { accepted } from "../answers.js";
import { perNode, runOnEveryNode } from "./every-node-task.js";

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
