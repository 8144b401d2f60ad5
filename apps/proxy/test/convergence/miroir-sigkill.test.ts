import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Cluster, startCluster } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type TopologyAnswer } from "../cluster-ops/eventually.js";
import {
  freePort,
  type LaunchedProcess,
  launchMiroir,
  mainScript,
  writeLaunchConfig,
} from "../launched-process.js";
import { json } from "../proxy-cluster.js";
import { withTestAdminKey } from "../test-config.js";
import { entriesOf, type RepairStatusAnswer, replicaState } from "./replica-state.js";

describe("Miroir SIGKILLed with hints pending", () => {
  let cluster: Cluster;
  let dir: string;
  let miroirProcess: LaunchedProcess | undefined;
  let url: string;
  const node = (nodeId: string, path: string, init: RequestInit = {}) =>
    fetch(`${cluster.nodes.find((n) => n.id === nodeId)?.address}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${String(cluster.config.node_master_key)}`,
        ...(init.headers ?? {}),
      },
    });
  const miroir = (path: string, init?: RequestInit) =>
    fetch(`${url}${path}`, withTestAdminKey(path, init));
  const status = async () =>
    (await (await miroir("/_miroir/repair/status")).json()) as RepairStatusAnswer;

  /** Starts the `miroir` bin on one SQLite file, until it listens. */
  async function startMiroir(configPath: string): Promise<void> {
    miroirProcess = await launchMiroir(configPath);
  }
  const waitTask = async (answer: Response) => {
    expect(answer.status).toBe(202);
    const { taskUid } = (await answer.json()) as { taskUid: number };
    return eventually(
      async () => ((await (await miroir(`/tasks/${taskUid}`)).json()) as { status: string }).status,
      (taskStatus) => taskStatus === "succeeded" || taskStatus === "failed",
      20_000,
    );
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "miroir-sigkill-"));
    cluster = await startCluster({ nodes: 3, rf: 3, shards: 4 });
  }, 60_000);
  afterAll(async () => {
    await miroirProcess?.stop();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("replays the hints the killed process stored, from the process started after it", async () => {
    expect(existsSync(mainScript), "build the proxy first: pnpm --filter @miroir/proxy build").toBe(
      true,
    );
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const configPath = await writeLaunchConfig({
      dir,
      cluster,
      port,
      config: {
        health: {
          interval_ms: 300,
          timeout_ms: 250,
          unhealthy_threshold: 2,
          recovery_threshold: 1,
        },
        anti_entropy: { schedule: "every 1h" },
      },
    });
    await startMiroir(configPath);
    expect(await waitTask(await miroir("/indexes", json({ uid: "notes", primaryKey: "id" })))).toBe(
      "succeeded",
    );
    const first = Array.from({ length: 10 }, (_, id) => ({ id, text: `note ${id}` }));
    expect(await waitTask(await miroir("/indexes/notes/documents", json(first)))).toBe("succeeded");

    const node2 = cluster.nodes.find((n) => n.id === "node-2");
    await node2?.control.kill();
    let restarted = false;
    try {
      await eventually(
        async () =>
          ((await (await miroir("/_miroir/topology")).json()) as TopologyAnswer).nodes.find(
            (n) => n.id === "node-2",
          )?.health,
        (health) => health === "unreachable",
      );
      const missed = Array.from({ length: 10 }, (_, i) => ({ id: 5 + i, text: `missed ${i}` }));
      expect(await waitTask(await miroir("/indexes/notes/documents", json(missed)))).toBe(
        "succeeded",
      );
      expect(
        await waitTask(await miroir("/indexes/notes/documents/delete-batch", json([0, 1]))),
      ).toBe("succeeded");
      expect((await status()).hintsPending).toEqual({ "node-2": 2 });

      await miroirProcess?.stop();
      await node2?.control.restart();
      restarted = true;
      await startMiroir(configPath);
      await eventually(status, (now) => now.recovering.length === 0, 30_000);
      const [reference, returned] = await Promise.all([
        replicaState({ node }, "node-0", "notes"),
        replicaState({ node }, "node-2", "notes"),
      ]);
      expect(reference.size).toBe(13);
      expect(entriesOf(returned)).toEqual(entriesOf(reference));
    } finally {
      if (!restarted) await node2?.control.restart();
    }
  }, 90_000);
});
