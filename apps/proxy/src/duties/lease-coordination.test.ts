import { openTaskStore, type TaskStore } from "@miroir/taskstore";
import fc from "fast-check";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { type Duty, StaleLeaseError } from "./background-duty.js";
import {
  createLeaseCoordination,
  PARTITIONS,
  type ProcessCoordination,
  partitionOf,
  preferredOwner,
} from "./lease-coordination.js";

const leaderDuty: Duty = { name: "lead", intervalMs: 1_000, mode: "leader", run: async () => {} };
const sharedDuty: Duty = {
  name: "share",
  intervalMs: 1_000,
  mode: "partitioned",
  run: async () => {},
};

describe("lease coordination", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function store(): Promise<TaskStore> {
    const opened = await openTaskStore({ backend: "sqlite", path: ":memory:" });
    cleanups.push(() => opened.close());
    return opened;
  }

  function processOn(shared: TaskStore, id: string, leaseTtlMs = 60_000): ProcessCoordination {
    const coordination = createLeaseCoordination({
      store: shared,
      identity: { id, version: "test", startedAt: Date.now() },
      address: () => `http://${id}`,
      leaseTtlMs,
      renewIntervalMs: 60_000,
      logger: pino({ level: "silent" }),
    });
    coordination.register?.(leaderDuty);
    coordination.register?.(sharedDuty);
    cleanups.push(() => coordination.stop());
    return coordination;
  }

  it("gives the leader duties to one process and every partition to exactly one", async () => {
    const shared = await store();
    const processes = ["a", "b", "c"].map((id) => processOn(shared, id));
    // Two rounds: the first lets everyone see everyone, the second hands partitions over.
    for (let round = 0; round < 2; round++) {
      for (const process of processes) await process.tick();
    }
    const leaders = processes.filter((process) => process.view().leader);
    expect(leaders).toHaveLength(1);
    expect(await Promise.all(processes.map((p) => p.claim(leaderDuty)))).toSatisfy(
      (runs: unknown[]) => runs.filter((run) => run !== null).length === 1,
    );
    const held = processes.flatMap((process) => process.view().partitions);
    expect([...held].sort((x, y) => x - y)).toEqual(
      Array.from({ length: PARTITIONS }, (_, partition) => partition),
    );
    // Every item is owned by exactly one process.
    const runs = await Promise.all(processes.map((process) => process.claim(sharedDuty)));
    for (const item of ["task:1", "task:2", "task:99", "webhook-notifier"]) {
      expect(runs.filter((run) => run?.owns(item) === true)).toHaveLength(1);
    }
    const listed = await shared.members.list();
    expect(listed.map((member) => member.id).sort()).toEqual(["a", "b", "c"]);
  });

  it("hands leadership and partitions over when a process stops, and fences the old one", async () => {
    const shared = await store();
    const a = processOn(shared, "a");
    await a.tick();
    const b = processOn(shared, "b");
    await b.tick();
    expect(a.view().leader).toBe(true);
    const stale = await a.claim(leaderDuty);
    expect(await stale?.fenced(async () => "acted")).toBe("acted");
    // `a` is paused past its lease: another holder takes it, as after an expiry.
    await shared.leases.release("leader", "a");
    await b.tick();
    expect(b.view().leader).toBe(true);
    await expect(stale?.fenced(async () => "acted")).rejects.toBeInstanceOf(StaleLeaseError);
    await a.stop();
    await b.tick();
    expect(b.view().partitions).toHaveLength(PARTITIONS);
    expect((await shared.members.list()).map((member) => member.id)).toEqual(["b"]);
  });

  it("stops trusting its leases once their time is up, store or not", async () => {
    const shared = await store();
    const a = processOn(shared, "a", 1_000);
    await a.tick();
    expect(a.view().leader).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(a.view().leader).toBe(false);
    expect(await a.claim(leaderDuty)).toBeNull();
    expect(await a.claim(sharedDuty)).toBeNull();
  });

  it("prefers one live process per partition, moving only the partitions of one that leaves (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 2, maxLength: 6 }),
        fc.string(),
        (ids, item) => {
          const partition = partitionOf(item);
          expect(partition).toBeGreaterThanOrEqual(0);
          expect(partition).toBeLessThan(PARTITIONS);
          const owner = preferredOwner(ids, partition);
          expect(ids).toContain(owner);
          expect(preferredOwner([...ids].reverse(), partition)).toBe(owner);
          const leaving = ids[0] as string;
          if (leaving !== owner) {
            expect(preferredOwner(ids.slice(1), partition)).toBe(owner);
          }
        },
      ),
    );
  });
});
