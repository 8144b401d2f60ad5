import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "@miroir/config";
import { type Cluster, type ClusterNode, startCluster } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxy, type RunningProxy } from "../../src/index.js";
import { guardedAdmin, withTestAdminKey } from "../test-config.js";
import {
  clusterCalls,
  type MoveClient,
  MoveWorkload,
  placementProblems,
  type StatusAnswer,
  waitForIdle,
} from "./move-workload.js";

const SHARDS = 16;

/**
 * docs/kubernetes.md, "Scale the Meilisearch nodes", step by step, with processes standing
 * in for the pods: the StatefulSet's nodes are testkit nodes, and each rollout of the proxy
 * is a new Miroir process with the new node list and a fresh SQLite store (the chart's
 * default `/data` emptyDir starts empty in every new pod).
 */
describe("the Helm scaling runbook", () => {
  let cluster: Cluster;
  let dir: string;
  let proxy: RunningProxy | undefined;
  let url = "";
  let rollouts = 0;

  /** A rollout: a new proxy pod with `nodes` in its node list, then the old pod goes. */
  async function rollOut(nodes: readonly ClusterNode[]): Promise<void> {
    rollouts += 1;
    const next = await createProxy(
      parseConfig(
        guardedAdmin({
          ...cluster.config,
          nodes: nodes.map((node) => ({ id: node.id, address: node.address, replica_group: 0 })),
          server: { host: "127.0.0.1", log_level: "silent" },
          task_store: { backend: "sqlite", path: join(dir, `pod-${rollouts}.db`) },
          task_registry: { poll_interval_ms: 20 },
          // Emulated nodes share the test's busy event loop: slow probes are not outages.
          health: {
            interval_ms: 500,
            timeout_ms: 450,
            unhealthy_threshold: 3,
            recovery_threshold: 1,
          },
          rebalancer: {
            cleanup_grace_ms: 300,
            lease_ms: 1_000,
            max_docs_per_sec: 300,
            page_size: 20,
          },
        }),
      ),
    );
    const listening = await next.listen(0);
    // The Service sends traffic to the new pod once its readiness probe passes.
    for (let attempt = 0; attempt < 200; attempt++) {
      if ((await fetch(`${listening.url}/_miroir/ready`)).status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const previous = proxy;
    proxy = next;
    url = listening.url;
    // The old pod finishes what it accepted within its termination grace period.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await previous?.close();
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "miroir-runbook-"));
    cluster = await startCluster({ nodes: 4, shards: SHARDS });
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("scales up from 2 to 3 nodes and back down, every search complete throughout", async () => {
    const [node0, node1, node2, reference] = cluster.nodes as [
      ClusterNode,
      ClusterNode,
      ClusterNode,
      ClusterNode,
    ];
    const env: MoveClient = {
      cluster: { ...cluster, nodes: [node0, node1, node2, reference] },
      reference,
      spare: [],
      ...clusterCalls(cluster, () => url),
      pinned: () => {
        const at = url;
        return (path, init = {}) => fetch(`${at}${path}`, withTestAdminKey(path, init));
      },
    };
    const stateOf = async (id: string) =>
      (
        (await (await env.miroir("/_miroir/topology")).json()) as {
          nodes: { id: string; state: string }[];
        }
      ).nodes.find((node) => node.id === id)?.state;

    await rollOut([node0, node1]);
    const workload = new MoveWorkload(env);
    await workload.setUp(300);
    let settled = false;
    const load = Promise.all([
      workload.writeUntil(() => settled),
      workload.searchUntil(() => settled),
    ]);
    let up: StatusAnswer | undefined;
    let down: StatusAnswer | undefined;
    try {
      // Up: `helm upgrade --set meilisearch.nodesPerGroup=3` adds the pod and rolls the proxy.
      await rollOut([node0, node1, node2]);
      // It joins (no reads until its shards moved); on a quiet machine the migration of
      // this small index may already be over when the proxy first answers. `up` below
      // shows the migration that brought node2 its shards either way.
      expect(["joining", "active"]).toContain(await stateOf(node2.id));
      // `miroir-ctl rebalance status --follow` until idle.
      up = await waitForIdle(env);
      expect(await stateOf(node2.id)).toBe("active");

      // Down, step 1: `miroir-ctl node drain meilisearch-2 --follow`.
      const drained = await env.miroir(`/_miroir/nodes/${node2.id}/drain`, { method: "POST" });
      expect(drained.status).toBe(200);
      down = await waitForIdle(env);
      expect(await stateOf(node2.id)).toBe("removed");
      // Step 2: `helm upgrade --set meilisearch.nodesPerGroup=2` rolls the proxy again.
      await rollOut([node0, node1]);
      expect(await stateOf(node0.id)).toBe("active");
      expect(await stateOf(node1.id)).toBe("active");
    } finally {
      await new Promise((resolve) => setTimeout(resolve, 500));
      settled = true;
      await load;
    }
    expect(up?.migration?.phase).toBe("done");
    expect(up?.migration?.moves.every((move) => move.gains.join() === node2.id)).toBe(true);
    expect(down?.migration?.phase).toBe("done");
    expect(workload.problems).toEqual([]);
    expect(workload.searches).toBeGreaterThan(0);
    expect(await workload.finalProblems()).toEqual([]);
    expect(await placementProblems(env, SHARDS, [node2.id], workload.undecided)).toEqual([]);
  }, 180_000);
});
