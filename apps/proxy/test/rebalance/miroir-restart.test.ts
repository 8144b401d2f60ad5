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
import {
  clusterCalls,
  json,
  type MoveClient,
  MoveWorkload,
  placementProblems,
  type StatusAnswer,
  waitForIdle,
} from "./move-workload.js";

const SHARDS = 16;

describe("Miroir SIGKILLed mid-migration", () => {
  let cluster: Cluster;
  let dir: string;
  let miroirProcess: LaunchedProcess | undefined;
  let url = "";

  /** Starts the `miroir` bin on one SQLite file, until it listens. */
  async function startMiroir(configPath: string): Promise<void> {
    miroirProcess = await launchMiroir(configPath);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "miroir-rebalance-kill-"));
    cluster = await startCluster({ nodes: 5, rf: 2, shards: SHARDS });
  }, 60_000);
  afterAll(async () => {
    await miroirProcess?.stop();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("resumes the migration from its persisted phases after a restart, with nothing lost", async () => {
    expect(existsSync(mainScript), "build the proxy first: pnpm --filter @miroir/proxy build").toBe(
      true,
    );
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const env: MoveClient = {
      cluster,
      reference: cluster.nodes[4] as ClusterNode,
      spare: [cluster.nodes[3] as ClusterNode],
      ...clusterCalls(cluster, () => url),
    };
    const configPath = await writeLaunchConfig({
      dir,
      cluster,
      port,
      config: {
        nodes: (cluster.config.nodes as unknown[]).slice(0, 3),
        // Emulated nodes share the test's event loop, busy with the workload: slow
        // probes must not pass for outages.
        health: {
          interval_ms: 500,
          timeout_ms: 450,
          unhealthy_threshold: 3,
          recovery_threshold: 1,
        },
        rebalancer: { cleanup_grace_ms: 300, lease_ms: 1_000, max_docs_per_sec: 60, page_size: 10 },
      },
    });
    await startMiroir(configPath);
    const workload = new MoveWorkload(env);
    await workload.setUp(300);
    const added = cluster.nodes[3] as ClusterNode;
    let settled = false;
    const load = Promise.all([
      workload.writeUntil(() => settled),
      workload.searchUntil(() => settled),
    ]);
    let before: StatusAnswer | undefined;
    try {
      const answer = await env.miroir(
        "/_miroir/nodes",
        json({ id: added.id, address: added.address, replicaGroup: 0 }),
      );
      expect(answer.status).toBe(201);
      // Killed once some shard has moved and others have not.
      for (let attempt = 0; attempt < 1_000; attempt++) {
        before = (await (await env.miroir("/_miroir/rebalance/status")).json()) as StatusAnswer;
        const done = before.migration?.shardsDone ?? 0;
        if (done > 0 && done < (before.migration?.shardsTotal ?? 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await miroirProcess?.stop();
      await startMiroir(configPath);
    } finally {
      const finished = await waitForIdle(env, 90_000).finally(() => {
        setTimeout(() => {
          settled = true;
        }, 500);
      });
      await load;
      expect(finished.migration?.phase).toBe("done");
      // Moves verified before the kill were not copied again.
      for (const move of before?.migration?.moves ?? []) {
        if (move.phase !== "verified") continue;
        const after = finished.migration?.moves.find(
          (m) => m.shard === move.shard && m.group === move.group,
        );
        expect(after?.copied).toBe(move.copied);
      }
    }
    expect(before?.migration?.shardsDone).toBeGreaterThan(0);
    expect(workload.problems).toEqual([]);
    expect(await workload.finalProblems()).toEqual([]);
    expect(await placementProblems(env, SHARDS, [], workload.undecided)).toEqual([]);
  }, 180_000);
});
