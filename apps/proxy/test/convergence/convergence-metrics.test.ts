import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, healthOf } from "../cluster-ops/eventually.js";
import { sample } from "../observability/metric-samples.js";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";
import type { RepairStatusAnswer } from "./replica-state.js";

const HEALTH = { interval_ms: 400, timeout_ms: 350, unhealthy_threshold: 2, recovery_threshold: 1 };

describe("convergence metrics, by value", () => {
  let env: ProxiedCluster;
  let metricsUrl: string;
  const scrape = async () => (await fetch(`${metricsUrl}/metrics`)).text();
  const node2 = { node_id: "node-2" };
  const index = { index: "notes" };
  const waitTask = (answer: Response) => env.accepted(answer);

  beforeAll(async () => {
    env = await startProxiedCluster(
      { nodes: 3, rf: 3, shards: 4 },
      { health: HEALTH, anti_entropy: { schedule: "every 1h" } },
    );
    ({ url: metricsUrl } = await env.proxy.listenMetrics(0));
    await waitTask(await env.miroir("/indexes", json({ uid: "notes", primaryKey: "id" })));
    const docs = Array.from({ length: 12 }, (_, id) => ({ id, text: `note ${id}` }));
    await waitTask(await env.miroir("/indexes/notes/documents", json(docs)));
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
  });

  it("counts hints recorded, pending and replayed, and the node recovering meanwhile", async () => {
    const start = await scrape();
    expect(sample(start, "miroir_hints_pending", node2)).toBe(0);
    expect(sample(start, "miroir_replica_recovering", node2)).toBe(0);
    const node = env.cluster.nodes.find((n) => n.id === "node-2");
    await node?.control.kill();
    let restarted = false;
    try {
      await eventually(
        () => healthOf(env, "node-2"),
        (health) => health === "unreachable",
      );
      await waitTask(await env.miroir("/indexes/notes/documents", json([{ id: 1, text: "a" }])));
      await waitTask(await env.miroir("/indexes/notes/documents/delete-batch", json([2])));
      const during = await scrape();
      expect(sample(during, "miroir_hints_recorded_total", node2)).toBe(
        sample(start, "miroir_hints_recorded_total", node2) + 2,
      );
      expect(sample(during, "miroir_hints_pending", node2)).toBe(2);
      expect(sample(during, "miroir_replica_recovering", node2)).toBe(1);
      expect(sample(during, "miroir_replica_recovering", { node_id: "node-0" })).toBe(0);
      await node?.control.restart();
      restarted = true;
      await eventually(
        async () =>
          (await (await env.miroir("/_miroir/repair/status")).json()) as RepairStatusAnswer,
        (status) => status.recovering.length === 0,
        30_000,
      );
      const after = await scrape();
      expect(sample(after, "miroir_hints_replayed_total", node2)).toBe(
        sample(start, "miroir_hints_replayed_total", node2) + 2,
      );
      expect(sample(after, "miroir_hints_pending", node2)).toBe(0);
      expect(sample(after, "miroir_replica_recovering", node2)).toBe(0);
    } finally {
      if (!restarted) await node?.control.restart();
    }
  }, 60_000);

  it("counts divergent and repaired documents and settings, the pass's progress and the time since the last full verification", async () => {
    const before = await scrape();
    const address = env.cluster.nodes.find((n) => n.id === "node-0")?.address;
    const key = String(env.cluster.config.node_master_key);
    for (const [path, init] of [
      ["/indexes/notes/documents/5", { method: "DELETE" }],
      ["/indexes/notes/settings", { method: "PATCH", body: JSON.stringify({ stopWords: ["a"] }) }],
    ] as const) {
      const answer = await fetch(`${address}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      });
      const { taskUid } = (await answer.json()) as { taskUid: number };
      await eventually(
        async () =>
          (
            (await (
              await fetch(`${address}/tasks/${taskUid}`, {
                headers: { authorization: `Bearer ${key}` },
              })
            ).json()) as { status: string }
          ).status,
        (status) => status === "succeeded",
      );
    }
    const repaired = await env.miroir("/_miroir/repair", json({}));
    expect(repaired.status).toBe(200);
    const after = await scrape();
    expect(sample(after, "miroir_anti_entropy_divergent_documents_total", index)).toBe(
      sample(before, "miroir_anti_entropy_divergent_documents_total", index) + 1,
    );
    expect(sample(after, "miroir_anti_entropy_repaired_documents_total", index)).toBe(
      sample(before, "miroir_anti_entropy_repaired_documents_total", index) + 1,
    );
    expect(sample(after, "miroir_anti_entropy_settings_repairs_total", index)).toBe(
      sample(before, "miroir_anti_entropy_settings_repairs_total", index) + 1,
    );
    expect(sample(after, "miroir_anti_entropy_progress_ratio", index)).toBe(1);
    const since = sample(after, "miroir_anti_entropy_seconds_since_verification", index);
    expect(since).toBeGreaterThanOrEqual(0);
    expect(since).toBeLessThan(60);
  }, 60_000);
});
