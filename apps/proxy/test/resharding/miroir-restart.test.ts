import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Cluster, type ClusterNode, startCluster } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freePort,
  type LaunchedProcess,
  launchMiroir,
  mainScript,
  writeLaunchConfig,
} from "../launched-process.js";
import { clusterCalls, json, type MoveClient } from "../rebalance/move-workload.js";
import { INDEX, type ReshardView, ReshardWorkload, waitForReshard } from "./reshard-workload.js";

describe("Miroir SIGKILLed mid-copy of a reshard", () => {
  let cluster: Cluster;
  let dir: string;
  let miroirProcess: LaunchedProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "miroir-reshard-kill-"));
    cluster = await startCluster({ nodes: 4, rf: 1, shards: 8 });
  }, 60_000);
  afterAll(async () => {
    await miroirProcess?.stop();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is taken over by the next process, which resumes the copy and finishes", async () => {
    expect(existsSync(mainScript), "build the proxy first: pnpm --filter @miroir/proxy build").toBe(
      true,
    );
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env: MoveClient = {
      cluster,
      reference: cluster.nodes[3] as ClusterNode,
      spare: [],
      ...clusterCalls(cluster, () => url),
    };
    const configPath = await writeLaunchConfig({
      dir,
      cluster,
      port,
      config: {
        nodes: (cluster.config.nodes as unknown[]).slice(0, 3),
        health: {
          interval_ms: 500,
          timeout_ms: 450,
          unhealthy_threshold: 3,
          recovery_threshold: 1,
        },
        // A short claim, so the next process takes the job over soon after the kill.
        leader_election: { lease_ttl_s: 2, renew_interval_s: 1 },
        // Slow enough to be killed mid-copy.
        resharding: {
          retain_old_index_hours: 0,
          backfill_batch_size: 50,
          backfill_concurrency: 1,
          throttle_docs_per_sec: 400,
        },
      },
    });
    miroirProcess = await launchMiroir(configPath);
    const workload = new ReshardWorkload(env, 2_000);
    await workload.setUp();
    let settled = false;
    const load = Promise.all([
      workload.writeUntil(() => settled),
      workload.searchUntil(() => settled),
    ]);
    let before: ReshardView | undefined;
    let finished: ReshardView | undefined;
    try {
      const started = await env.miroir(`/_miroir/indexes/${INDEX}/reshard`, json({ shards: 24 }));
      expect(started.status).toBe(202);
      before = await waitForReshard(
        env,
        60_000,
        (view) => view.phase === "copying" && view.documentsCopied >= 400,
      );
      await miroirProcess.stop();
      // Requests meanwhile find no server; the workload's writes are then refused by the
      // network, not by Miroir, and are not counted as acknowledged.
      miroirProcess = await launchMiroir(configPath);
      finished = await waitForReshard(env, 120_000);
    } finally {
      setTimeout(() => {
        settled = true;
      }, 500);
      await load;
    }
    expect(finished?.status, JSON.stringify(finished)).toBe("succeeded");
    expect(before?.documentsCopied).toBeLessThan(before?.documentsTotal ?? 0);
    // Taken over by the new process, which went on from the saved cursors instead of
    // copying everything again.
    expect(finished?.runs).toBeGreaterThanOrEqual(2);
    expect((finished?.documentsCopied ?? 0) - (before?.documentsCopied ?? 0)).toBeLessThan(
      finished?.documentsTotal ?? 0,
    );
    expect(finished?.verified?.documents).toBeGreaterThanOrEqual(2_000);
    // Only requests that found no server while Miroir restarted went wrong.
    const unanswered = (problem: string) =>
      problem.includes("no answer") || problem.includes("answered nothing");
    expect(workload.problems.filter((problem) => !unanswered(problem))).toEqual([]);
    expect(await workload.finalProblems()).toEqual([]);
  }, 240_000);
});
