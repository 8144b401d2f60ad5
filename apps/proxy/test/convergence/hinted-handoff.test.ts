import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, healthOf } from "../cluster-ops/eventually.js";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";
import { entriesOf, type RepairStatusAnswer, replicaState } from "./replica-state.js";

const HEALTH = { interval_ms: 400, timeout_ms: 350, unhealthy_threshold: 2, recovery_threshold: 1 };

describe("hinted handoff over 3 nodes, RF 3", () => {
  let env: ProxiedCluster;
  let dir: string;
  const miroir = (path: string, init?: RequestInit) => env.miroir(path, init);
  const node = (nodeId: string, path: string, init?: RequestInit) => env.node(nodeId, path, init);
  const waitTask = (answer: Response) => env.accepted(answer);
  const status = async () =>
    (await (await miroir("/_miroir/repair/status")).json()) as RepairStatusAnswer;
  const count = async () =>
    ((await (await miroir("/indexes/notes/stats")).json()) as { numberOfDocuments: number })
      .numberOfDocuments;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "miroir-hints-"));
    env = await startProxiedCluster(
      { nodes: 3, rf: 3, shards: 4 },
      {
        task_store: { backend: "sqlite", path: join(dir, "state.db") },
        health: HEALTH,
        anti_entropy: { schedule: "every 1h" },
      },
    );
    await waitTask(await miroir("/indexes", json({ uid: "notes", primaryKey: "id" })));
    const first = Array.from({ length: 20 }, (_, id) => ({ id, text: `note ${id}` }));
    await waitTask(await miroir("/indexes/notes/documents", json(first)));
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stamps every stored copy with one version and never shows it", async () => {
    const states = await Promise.all(
      ["node-0", "node-1", "node-2"].map((id) => replicaState({ node }, id, "notes")),
    );
    expect(entriesOf(states[1] as Map<string, number | null>)).toEqual(
      entriesOf(states[0] as Map<string, number | null>),
    );
    expect(entriesOf(states[2] as Map<string, number | null>)).toEqual(
      entriesOf(states[0] as Map<string, number | null>),
    );
    for (const version of (states[0] as Map<string, number | null>).values()) {
      expect(version).toBeGreaterThan(10 ** 15);
    }
    const one = (await (await miroir("/indexes/notes/documents/3")).json()) as object;
    expect(one).toEqual({ id: 3, text: "note 3" });
    const hit = (await (
      await miroir("/indexes/notes/search", json({ q: "note", limit: 1 }))
    ).json()) as {
      hits: object[];
    };
    expect(Object.keys(hit.hits[0] as object).sort()).toEqual(["id", "text"]);
  });

  it("replays to a killed node, once it is back, exactly the writes it missed, and reads avoid it until then", async () => {
    await env.control("node-2").kill();
    let restarted = false;
    try {
      await eventually(
        () => healthOf(env, "node-2"),
        (health) => health === "unreachable",
      );
      const updates = Array.from({ length: 10 }, (_, id) => ({ id, text: `updated ${id}` }));
      const added = Array.from({ length: 10 }, (_, i) => ({ id: 20 + i, text: `new ${i}` }));
      for (const batch of [updates, added]) {
        const task = await waitTask(await miroir("/indexes/notes/documents", json(batch)));
        expect(task.status).toBe("succeeded");
      }
      const deleted = await waitTask(
        await miroir("/indexes/notes/documents/delete-batch", json([0, 1, 2])),
      );
      expect(deleted.status).toBe("succeeded");
      const during = await status();
      expect(during.hintsPending["node-2"]).toBe(3);
      expect(during.recovering).toEqual(["node-2"]);
      expect(await count()).toBe(27);

      await env.control("node-2").restart();
      restarted = true;
      // Until it has caught up, node-2 is never read: every count is already exact.
      const caughtUp = await eventually(
        async () => {
          expect(await count()).toBe(27);
          return status();
        },
        (now) => now.recovering.length === 0,
        30_000,
      );
      expect(caughtUp.hintsPending).toEqual({});
      const [reference, returned] = await Promise.all([
        replicaState({ node }, "node-0", "notes"),
        replicaState({ node }, "node-2", "notes"),
      ]);
      expect(reference.size).toBe(27);
      expect(entriesOf(returned)).toEqual(entriesOf(reference));
    } finally {
      if (!restarted) await env.control("node-2").restart();
    }
  }, 60_000);

  it("keeps hints across a Miroir restart and replays them from the new process", async () => {
    await env.control("node-1").kill();
    let restarted = false;
    try {
      await eventually(
        () => healthOf(env, "node-1"),
        (health) => health === "unreachable",
      );
      const batch = Array.from({ length: 5 }, (_, i) => ({ id: 100 + i, text: `late ${i}` }));
      expect((await waitTask(await miroir("/indexes/notes/documents", json(batch)))).status).toBe(
        "succeeded",
      );
      expect((await status()).hintsPending["node-1"]).toBe(1);
      await env.restartProxy(async () => {
        await env.control("node-1").restart();
        restarted = true;
      });
      // The new process starts with node-1 recovering, from the stored hints alone.
      expect((await status()).recovering).toEqual(["node-1"]);
      await eventually(status, (now) => now.recovering.length === 0, 30_000);
      const [reference, returned] = await Promise.all([
        replicaState({ node }, "node-0", "notes"),
        replicaState({ node }, "node-1", "notes"),
      ]);
      expect(reference.has("104")).toBe(true);
      expect(entriesOf(returned)).toEqual(entriesOf(reference));
    } finally {
      if (!restarted) await env.control("node-1").restart();
    }
  }, 60_000);
});
