import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, healthOf } from "../cluster-ops/eventually.js";
import { sample } from "../observability/metric-samples.js";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";
import { entriesOf, type RepairStatusAnswer, replicaState } from "./replica-state.js";

const HEALTH = { interval_ms: 400, timeout_ms: 350, unhealthy_threshold: 2, recovery_threshold: 1 };
const BOUND = 3;

describe(`a node past its hint bound (anti_entropy.max_hints_per_node: ${BOUND}), 3 nodes, RF 3`, () => {
  let metricsUrl: string;
  let env: ProxiedCluster;
  let dir: string;
  const miroir = (path: string, init?: RequestInit) => env.miroir(path, init);
  const node = (nodeId: string, path: string, init?: RequestInit) => env.node(nodeId, path, init);
  const waitTask = (answer: Response) => env.accepted(answer);
  const write = async (path: string, body: unknown) => {
    const task = await env.accepted(await env.miroir(path, json(body)));
    expect(task.status).toBe("succeeded");
  };
  const status = async () =>
    (await (await miroir("/_miroir/repair/status")).json()) as RepairStatusAnswer;
  const count = async () =>
    ((await (await miroir("/indexes/notes/stats")).json()) as { numberOfDocuments: number })
      .numberOfDocuments;
  const awaiting = async () =>
    sample(
      await (await fetch(`${metricsUrl}/metrics`)).text(),
      "miroir_replica_awaiting_full_repair",
      { node_id: "node-2" },
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "miroir-hint-bound-"));
    env = await startProxiedCluster(
      { nodes: 3, rf: 3, shards: 4 },
      {
        task_store: { backend: "sqlite", path: join(dir, "state.db") },
        health: HEALTH,
        anti_entropy: { schedule: "every 1h", max_hints_per_node: BOUND },
      },
    );
    ({ url: metricsUrl } = await env.proxy.listenMetrics(0));
    await waitTask(await miroir("/indexes", json({ uid: "notes", primaryKey: "id" })));
    await waitTask(
      await miroir("/indexes/notes/settings/filterable-attributes", {
        ...json(["kind"]),
        method: "PUT",
      }),
    );
    const first = Array.from({ length: 20 }, (_, id) => ({
      id,
      kind: id < 10 ? "keep" : "drop",
    }));
    await write("/indexes/notes/documents", first);
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stops keeping hints past the bound, marks the node for a full repair across a Miroir restart, and reads it again only once the repair made it equal", async () => {
    await env.control("node-2").kill();
    let restarted = false;
    try {
      await eventually(
        () => healthOf(env, "node-2"),
        (health) => health === "unreachable",
      );
      await write("/indexes/notes/documents", [{ id: 1, kind: "keep", note: "updated" }]);
      await write("/indexes/notes/documents/delete-batch", [2, 3]);
      await write("/indexes/notes/documents", [{ id: 30, kind: "keep" }]);
      expect((await status()).hintsPending).toEqual({ "node-2": BOUND });
      expect(await awaiting()).toBe(0);

      // The fourth missed write passes the bound: node-2's hints go, and none is kept for
      // it any more. This deletion by filter leaves no tombstone: only the full repair's
      // distrust of node-2 keeps its copies of these documents from coming back.
      await write("/indexes/notes/documents/delete", { filter: "kind = drop" });
      await write("/indexes/notes/documents", [{ id: 31, kind: "keep" }]);
      const marked = await status();
      expect(marked.hintsPending).toEqual({});
      expect(marked.awaitingFullRepair).toEqual(["node-2"]);
      expect(marked.recovering).toEqual(["node-2"]);
      expect(await awaiting()).toBe(1);
      expect(await count()).toBe(10);

      // The mark is in the task store: a new Miroir process still keeps node-2 out.
      await env.restartProxy();
      ({ url: metricsUrl } = await env.proxy.listenMetrics(0));
      const reopened = await status();
      expect(reopened.awaitingFullRepair).toEqual(["node-2"]);
      expect(reopened.recovering).toEqual(["node-2"]);

      await env.control("node-2").restart();
      restarted = true;
      // Until the repair verified node-2, it is never read: every count is already exact.
      await eventually(
        async () => {
          expect(await count()).toBe(10);
          return status();
        },
        (now) => now.recovering.length === 0,
        45_000,
      );
      expect((await status()).awaitingFullRepair).toEqual([]);
      expect(await awaiting()).toBe(0);
      const [reference, returned] = await Promise.all([
        replicaState({ node }, "node-0", "notes"),
        replicaState({ node }, "node-2", "notes"),
      ]);
      expect([...reference.keys()].sort()).toEqual(
        ["0", "1", "30", "31", "4", "5", "6", "7", "8", "9"].sort(),
      );
      expect(entriesOf(returned)).toEqual(entriesOf(reference));
    } finally {
      if (!restarted) await env.control("node-2").restart();
    }
  }, 120_000);
});
