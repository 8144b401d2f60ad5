import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { type AccessEnv, authorize } from "../../auth/access.js";
import type { NodeState } from "../../node-state.js";

/** Meilisearch's dump uid: the creation time as `YYYYMMDD-HHMMSSmmm` (UTC). */
export function dumpUidAt(date: Date): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  return (
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}` +
    pad(date.getUTCMilliseconds(), 3)
  );
}

/**
 * `POST /dumps` and `POST /snapshots`: tasks like Meilisearch's (`dumpCreation` reports its
 * `dumpUid`). The emulated node keeps everything in memory, so no file is written; the
 * task records what a real node would have produced.
 */
export function backupRoutes(state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const { tasks, keys } = state;

  app.post("/dumps", authorize(keys, "dumps.create"), (c) => {
    const summary = tasks.enqueue("dumpCreation", null, { dumpUid: null }, () => {
      // what a real node answers when its dump folder is a file
      if (state.faults.dumpsBroken) throw meiliError("internal", "Not a directory (os error 20)");
      return { dumpUid: dumpUidAt(new Date()) };
    });
    return c.json(summary, 202);
  });

  app.post("/snapshots", authorize(keys, "snapshots.create"), (c) => {
    // a snapshot task has no details at all
    const summary = tasks.enqueue("snapshotCreation", null, undefined, () => undefined);
    return c.json(summary, 202);
  });

  return app;
}
