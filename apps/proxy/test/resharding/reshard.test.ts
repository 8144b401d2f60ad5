import type { ClusterNode } from "@miroir/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { json, type MoveEnv, startMoveEnv } from "../rebalance/move-workload.js";
import {
  bulkCount,
  INDEX,
  placementProblems,
  ReshardWorkload,
  reshard,
  waitForReshard,
} from "./reshard-workload.js";

// In the suite's parallel run this test reshards 3,000 documents; `pnpm test` then runs it
// alone with 100,000 (MIROIR_RESHARD_DOCS=100000, about two minutes on real nodes), so the
// full-size move does not share the machine with the other test files.
const BULK = bulkCount(3_000);

const RESHARDING = {
  retain_old_index_hours: 0,
  backfill_batch_size: 500,
  backfill_concurrency: 2,
};

describe("online resharding under load", () => {
  let env: MoveEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it("reshards 8 → 64 → 16 while a client writes and searches: nothing lost, every search complete, no client error", {
    timeout: 600_000,
  }, async () => {
    env = await startMoveEnv({
      configured: 3,
      spare: 0,
      shards: 8,
      config: { resharding: RESHARDING },
    });
    const running = env;
    const workload = new ReshardWorkload(running, BULK);
    await workload.setUp();
    const nodes = running.cluster.nodes.slice(0, 3);

    for (const [from, to] of [
      [8, 64],
      [64, 16],
    ] as const) {
      let settled = false;
      const load = Promise.all([
        workload.writeUntil(() => settled),
        workload.searchUntil(() => settled),
      ]);
      const done = await reshard(running, to).finally(() => {
        setTimeout(() => {
          settled = true;
        }, 500);
      });
      await load;

      expect(done.status, JSON.stringify(done)).toBe("succeeded");
      expect([done.fromShards, done.toShards]).toEqual([from, to]);
      // Old and new compared whole before the switch: the same keys and versions.
      expect(done.verified?.documents).toBeGreaterThanOrEqual(BULK);
      expect(done.documentsCopied).toBeGreaterThanOrEqual(BULK);
      expect(workload.problems).toEqual([]);
      expect(workload.searches).toBeGreaterThan(0);
      expect(workload.writes).toBeGreaterThan(0);
      expect(await workload.finalProblems()).toEqual([]);

      const ctx = running.proxy.context;
      expect(ctx.aliases.resolve(INDEX)?.indexes).toEqual([done.target]);
      expect(ctx.indexShards.of(done.target)).toBe(to);
      // The old index is gone (no grace period here) and its count forgotten.
      expect((await running.node(nodes[0] as ClusterNode, `/indexes/${done.source}`)).status).toBe(
        404,
      );
      expect(await ctx.taskStore.indexShards.get(done.source)).toBeNull();
      expect(
        await placementProblems(running, nodes, ctx.cluster.topology, done.target, to),
      ).toEqual([]);
      // Clients keep seeing their index name.
      const index = (await (await running.miroir(`/indexes/${INDEX}`)).json()) as { uid: string };
      expect(index.uid).toBe(INDEX);
    }
  });

  it("cancels mid-copy: the new index goes, the old one keeps every acknowledged write", {
    timeout: 300_000,
  }, async () => {
    env = await startMoveEnv({
      configured: 3,
      spare: 0,
      shards: 8,
      config: {
        resharding: { ...RESHARDING, backfill_batch_size: 50, throttle_docs_per_sec: 500 },
      },
    });
    const running = env;
    const workload = new ReshardWorkload(running, 1_000);
    await workload.setUp();
    let settled = false;
    const load = Promise.all([
      workload.writeUntil(() => settled),
      workload.searchUntil(() => settled),
    ]);
    try {
      const started = await running.miroir(
        `/_miroir/indexes/${INDEX}/reshard`,
        json({ shards: 32 }),
      );
      expect(started.status).toBe(202);
      const copying = await waitForReshard(
        running,
        60_000,
        (view) => view.phase === "copying" && view.documentsCopied > 0,
      );
      // Settings wait for the reshard; the refusal says why.
      const settings = await running.miroir(
        `/indexes/${INDEX}/settings`,
        json({ searchableAttributes: ["text"] }, "PATCH"),
      );
      expect(settings.status).toBe(409);
      expect(((await settings.json()) as { code: string }).code).toBe(
        "miroir_resharding_in_progress",
      );
      const canceled = await running.miroir(`/_miroir/indexes/${INDEX}/reshard`, {
        method: "DELETE",
      });
      expect(canceled.status).toBe(202);
      const done = await waitForReshard(running, 60_000);
      expect(done.status).toBe("canceled");
      expect(done.target).toBe(copying.target);
    } finally {
      setTimeout(() => {
        settled = true;
      }, 500);
      await load;
    }
    expect(workload.problems).toEqual([]);
    expect(await workload.finalProblems()).toEqual([]);
    const ctx = running.proxy.context;
    expect(ctx.aliases.resolve(INDEX)).toBeUndefined();
    const list = (await (await running.miroir("/_miroir/reshards")).json()) as {
      results: { target: string }[];
    };
    const target = list.results[0]?.target as string;
    for (const node of running.cluster.nodes.slice(0, 3)) {
      expect((await running.node(node, `/indexes/${target}`)).status).toBe(404);
    }
    expect(ctx.indexShards.of(target)).toBe(8);
    expect(await ctx.taskStore.indexShards.get(target)).toBeNull();
    // A second cancel has nothing to cancel.
    const again = await running.miroir(`/_miroir/indexes/${INDEX}/reshard`, { method: "DELETE" });
    expect(again.status).toBe(404);
  });

  it("outside its maintenance windows, waits without copying (and says so)", {
    timeout: 120_000,
  }, async () => {
    const hhmm = (hoursAhead: number) => {
      const at = new Date(Date.now() + hoursAhead * 3_600_000);
      return `${String(at.getUTCHours()).padStart(2, "0")}:${String(at.getUTCMinutes()).padStart(2, "0")}`;
    };
    env = await startMoveEnv({
      configured: 2,
      spare: 0,
      shards: 4,
      config: { resharding: { ...RESHARDING, maintenance_windows: [`${hhmm(2)}-${hhmm(3)}`] } },
    });
    const running = env;
    const workload = new ReshardWorkload(running, 200);
    await workload.setUp();
    const started = await running.miroir(`/_miroir/indexes/${INDEX}/reshard`, json({ shards: 8 }));
    expect(started.status).toBe(202);
    const waiting = await waitForReshard(running, 30_000, (view) => view.waitingForWindow);
    expect(waiting).toMatchObject({ status: "processing", documentsCopied: 0 });
    expect(["queued", "creating"]).toContain(waiting.phase);
    // It still waits a moment later, and has created nothing.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const later = await waitForReshard(running, 5_000, () => true);
    expect(later).toMatchObject({ waitingForWindow: true, documentsCopied: 0 });
    const node = running.cluster.nodes[0] as ClusterNode;
    expect((await running.node(node, `/indexes/${later.target}`)).status).toBe(404);
    const canceled = await running.miroir(`/_miroir/indexes/${INDEX}/reshard`, {
      method: "DELETE",
    });
    expect(canceled.status).toBe(202);
    expect((await waitForReshard(running, 30_000)).status).toBe("canceled");
  });

  it("keeps the old index through the grace period, and reshards again meanwhile", {
    timeout: 180_000,
  }, async () => {
    env = await startMoveEnv({
      configured: 2,
      spare: 0,
      shards: 4,
      config: { resharding: { ...RESHARDING, retain_old_index_hours: 1 } },
    });
    const running = env;
    const workload = new ReshardWorkload(running, 300);
    await workload.setUp();
    const switched = (view: { phase: string }) => view.phase === "switched";
    const first = await reshard(running, 8, 60_000, switched);
    expect(first).toMatchObject({ status: "processing", phase: "switched", source: INDEX });
    const node = running.cluster.nodes[0] as ClusterNode;
    // Kept for the grace period, out of the clients' way.
    expect((await running.node(node, `/indexes/${first.source}`)).status).toBe(200);
    const late = await running.miroir(`/_miroir/indexes/${INDEX}/reshard`, { method: "DELETE" });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { code: string }).code).toBe("miroir_resharding_in_progress");
    const second = await reshard(running, 2, 60_000, switched);
    expect(second).toMatchObject({ source: first.target, fromShards: 8, toShards: 2 });
    expect(running.proxy.context.aliases.resolve(INDEX)?.indexes).toEqual([second.target]);
    const list = (await (await running.miroir("/_miroir/reshards")).json()) as {
      results: { id: string; phase: string }[];
    };
    expect(list.results.map((each) => [each.id, each.phase])).toEqual([
      [second.id, "switched"],
      [first.id, "switched"],
    ]);
    expect(await workload.finalProblems()).toEqual([]);
    // A resharded index keeps its count under its uid: swapping it away is refused.
    const swap = await running.miroir(
      "/swap-indexes",
      json([{ indexes: [second.target, first.source] }]),
    );
    expect(swap.status).toBe(400);
    expect(((await swap.json()) as { code: string }).code).toBe("miroir_invalid_request");
  });

  it("refuses what it cannot do, in Meilisearch's error shape", { timeout: 120_000 }, async () => {
    env = await startMoveEnv({ configured: 2, spare: 0, shards: 4 });
    const running = env;
    const ask = async (uid: string, body: unknown) => {
      const answer = await running.miroir(`/_miroir/indexes/${uid}/reshard`, json(body));
      return { status: answer.status, body: (await answer.json()) as { code: string } };
    };
    expect(await ask("nothing", { shards: 8 })).toMatchObject({
      status: 404,
      body: { code: "index_not_found" },
    });
    const created = await running.miroir("/indexes", json({ uid: "things", primaryKey: "id" }));
    expect(created.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await ask("things", { shards: 0 })).toMatchObject({
      status: 400,
      body: { code: "miroir_invalid_request" },
    });
    expect(await ask("things", { shards: 4 })).toMatchObject({
      status: 400,
      body: { code: "miroir_invalid_request" },
    });
    const status = await running.miroir("/_miroir/indexes/things/reshard");
    expect(status.status).toBe(404);
    expect(((await status.json()) as { code: string }).code).toBe("miroir_reshard_not_found");
  });
});
