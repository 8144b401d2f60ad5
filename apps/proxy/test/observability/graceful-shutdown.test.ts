import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig, stringifyConfig } from "@miroir/config";
import { type Cluster, startCluster } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type LaunchedProcess, launchMiroir, mainScript } from "../launched-process.js";
import { json } from "../proxy-cluster.js";
import { guardedAdmin } from "../test-config.js";

// The node sits behind a relay, so its answers can be delayed on a real node too.
describe("the miroir bin on SIGTERM", () => {
  let cluster: Cluster;
  let miroir: LaunchedProcess | undefined;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "miroir-shutdown-"));
    cluster = await startCluster({ nodes: 1, shards: 4, relay: true });
  });
  afterAll(async () => {
    await miroir?.stop();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lets a running search complete, then exits 0", async () => {
    expect(existsSync(mainScript), "build the proxy first: pnpm --filter @miroir/proxy build").toBe(
      true,
    );
    const [port, metricsPort] = [await freePort(), await freePort()];
    const configPath = join(dir, "miroir.yaml");
    const config = parseConfig({
      ...guardedAdmin(cluster.config),
      server: { host: "127.0.0.1", port, metrics_port: metricsPort, log_level: "info" },
      task_store: { backend: "sqlite", path: join(dir, "state.db") },
      task_registry: { poll_interval_ms: 20 },
    });
    writeFileSync(configPath, stringifyConfig(config));
    miroir = await launchMiroir(configPath);
    const url = `http://127.0.0.1:${port}`;
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(200);
    const created = await fetch(`${url}/indexes`, json({ uid: "books", primaryKey: "id" }));
    const { taskUid } = (await created.json()) as { taskUid: number };
    for (let attempt = 0; attempt < 200; attempt++) {
      const task = (await (await fetch(`${url}/tasks/${taskUid}`)).json()) as { status: string };
      if (task.status === "succeeded") break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const node = cluster.nodes[0];
    if (node?.control === undefined) throw new Error("cluster nodes have a control");
    node.control.delay(600);
    const search = fetch(`${url}/indexes/books/search`, json({ q: "" }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    miroir.child.kill("SIGTERM");
    const answer = await search;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ hits: [] });
    expect(await miroir.exited).toBe(0);
    expect(miroir.output()).toContain("stopping: finishing in-flight requests");
    node.control.delay(0);
  }, 30_000);
});
