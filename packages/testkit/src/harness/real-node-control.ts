import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { emulatorOnly, type NodeControl } from "../node-control.js";
import type { MeiliProcess } from "./meili-process.js";
import { holdRealQueue } from "./queue-hold.js";
import type { Relay } from "./relay.js";

/**
 * The controls of a real Meilisearch process: signals for pause, resume and kill, a new
 * process over the same data for restart, the relay for delay, a blocking task for
 * holdQueue. The emulator's request and task faults have no faithful twin here.
 */
export function realNodeControl(
  meili: MeiliProcess,
  masterKey: string | null,
  relay: Relay | undefined,
): NodeControl {
  return {
    kind: "real",
    pause: () => meili.pause(),
    resume: () => meili.resume(),
    kill: () => meili.kill(),
    restart: () => meili.restart(),
    delay: (ms) => {
      if (relay === undefined) {
        throw new Error(
          "`delay` on a real node is the delay of its relay: start the cluster with `relay: true`",
        );
      }
      relay.delay(ms);
    },
    breakDumps: async () => {
      const folder = join(meili.dir, "dumps");
      await rm(folder, { recursive: true, force: true });
      await writeFile(folder, "not a folder: dumps of this node fail\n");
    },
    repairDumps: async () => {
      const folder = join(meili.dir, "dumps");
      if ((await stat(folder).catch(() => undefined))?.isFile()) await rm(folder);
      await mkdir(folder, { recursive: true });
    },
    holdQueue: () => holdRealQueue({ url: meili.url, key: masterKey }),
    failNext: () => {
      throw emulatorOnly(
        "failNext",
        "make the link fail instead: `startCluster({ relay: true })` and `relay.refuse()` or `relay.cut()`",
      );
    },
    failTasks: (predicate) => {
      if (predicate === undefined) return;
      throw emulatorOnly(
        "failTasks",
        "make the task fail for real (see the README: a conflicting primary key set on that node, a broken dump folder, …)",
      );
    },
    holdTasks: () => {
      throw emulatorOnly("holdTasks", "hold the whole queue with `await control.holdQueue()`");
    },
    releaseTasks: () => {},
  };
}
