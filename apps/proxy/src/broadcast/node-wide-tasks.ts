import type { MiroirTaskRecord } from "@miroir/taskstore";
import type { ProxyContext } from "../context.js";
import { indexPath } from "../node-client/index.js";
import { perNodeDetails, runBroadcast } from "./broadcast-operation.js";

/** Dumps and snapshots of one node at a time never interleave with each other's FIFO. */
const BACKUP_QUEUE = "\u0000backups";

/** Dumps and snapshots of a big node take long; after this the poller takes the task over. */
const NODE_TASK_WAIT_MS = 3_600_000;

/**
 * `POST /dumps`: one Miroir task that has every node write its own dump (each holds only
 * its shards); its details name each node's task and file (docs/restore-from-dumps.md).
 */
export function createDumps(ctx: ProxyContext): Promise<MiroirTaskRecord> {
  return runBroadcast(ctx, {
    queueKey: BACKUP_QUEUE,
    task: { indexUid: null, type: "dumpCreation", details: { dumpUid: null } },
    steps: [{ method: "POST", path: "/dumps" }],
    outcome: "each-node",
    waitMs: NODE_TASK_WAIT_MS,
    finishedDetails: (recorded, nodeTasks) => ({
      ...recorded,
      nodes: perNodeDetails(nodeTasks, (task) => {
        const dumpUid = task.details?.dumpUid;
        return typeof dumpUid === "string" ? { dumpUid, file: `${dumpUid}.dump` } : {};
      }),
    }),
  });
}

/** `POST /snapshots`: one Miroir task that has every node write its own snapshot. */
export function createSnapshots(ctx: ProxyContext): Promise<MiroirTaskRecord> {
  return runBroadcast(ctx, {
    queueKey: BACKUP_QUEUE,
    task: { indexUid: null, type: "snapshotCreation", details: null },
    steps: [{ method: "POST", path: "/snapshots" }],
    outcome: "each-node",
    waitMs: NODE_TASK_WAIT_MS,
    finishedDetails: (recorded, nodeTasks) => ({
      ...recorded,
      nodes: perNodeDetails(nodeTasks, () => ({})),
    }),
  });
}

/**
 * `POST /indexes/{uid}/compact`: every node compacts its part of the index, in the index's
 * write order; the details give each node's sizes before and after.
 */
export function compactIndex(ctx: ProxyContext, indexUid: string): Promise<MiroirTaskRecord> {
  return runBroadcast(ctx, {
    queueKey: indexUid,
    task: { indexUid, type: "indexCompaction", details: null },
    steps: [{ method: "POST", path: `${indexPath(indexUid)}/compact` }],
    outcome: "each-node",
    waitMs: NODE_TASK_WAIT_MS,
    finishedDetails: (recorded, nodeTasks) => ({
      ...recorded,
      nodes: perNodeDetails(nodeTasks, (task) => ({
        preCompactionSize: task.details?.preCompactionSize ?? null,
        postCompactionSize: task.details?.postCompactionSize ?? null,
      })),
    }),
  });
}
