import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, removeHome, runCtl } from "./ctl-process.js";
import { ADMIN_KEY, type MiroirUnderTest, startMiroir } from "./miroir-under-test.js";

describe("miroir-ctl moving data: node add and drain --follow, rebalance status and cancel", () => {
  let miroir: MiroirUnderTest;
  let home: string;
  const ctl = (args: string[]) =>
    runCtl([...args, "--url", miroir.url], { home, env: { MIROIR_ADMIN_API_KEY: ADMIN_KEY } });

  beforeAll(async () => {
    home = await makeHome();
    // Four nodes, three of them configured: the fourth is added with the CLI.
    miroir = await startMiroir({ nodes: 4, shards: 8 }, (cluster) => ({
      nodes: (cluster.config.nodes as unknown[]).slice(0, 3),
      rebalancer: { lease_ms: 1_000, cleanup_grace_ms: 0 },
    }));
  });
  afterAll(async () => {
    await miroir?.stop();
    await removeHome(home);
  });

  it("adds a node and follows its shards until they moved, then drains it back out", async () => {
    const created = await miroir.call("/indexes", { body: { uid: "books", primaryKey: "id" } });
    await miroir.waitTask(((await created.json()) as { taskUid: number }).taskUid);
    const documents = Array.from({ length: 200 }, (_, id) => ({ id, title: `book ${id}` }));
    const written = await miroir.call("/indexes/books/documents", { body: documents });
    expect(
      (await miroir.waitTask(((await written.json()) as { taskUid: number }).taskUid)).status,
    ).toBe("succeeded");
    const spare = miroir.cluster.nodes[3];
    if (spare === undefined) throw new Error("no spare node");

    const added = await ctl([
      "node",
      "add",
      "--id",
      "node-extra",
      "--address",
      spare.address,
      "--follow",
      "--interval",
      "50",
    ]);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(
      /^Added node-extra to replica group 0 as joining; .*\nRebalance: idle\n$/,
    );
    expect(added.stderr).toContain("rebalance idle 100%");
    const status = JSON.parse((await ctl(["rebalance", "status", "--json"])).stdout);
    expect(status).toMatchObject({
      status: "idle",
      pendingMoves: [],
      migration: { phase: "done" },
    });
    expect(status.migration.shardsDone).toBe(status.migration.shardsTotal);
    const human = await ctl(["rebalance", "status"]);
    expect(human.stdout).toMatch(
      /^Rebalance: idle\nMigration [0-9a-f-]+: done, (\d+)\/\1 shards verified, \d+ documents copied\nSHARD/,
    );

    const drained = await ctl(["node", "drain", "node-extra", "--follow", "--interval", "50"]);
    expect(drained.code).toBe(0);
    expect(drained.stdout).toMatch(/\nRebalance: idle\n$/);
    const topology = JSON.parse((await ctl(["topology", "--json"])).stdout);
    expect(topology.nodes.find((node: { id: string }) => node.id === "node-extra")?.state).toBe(
      "removed",
    );
    const search = await miroir.call("/indexes/books/search", { body: { q: "", limit: 1000 } });
    expect(((await search.json()) as { hits: unknown[] }).hits).toHaveLength(200);

    const cancel = await ctl(["rebalance", "cancel"]);
    expect(cancel.code).toBe(1);
    expect(cancel.stderr).toMatch(
      /No migration is running\. \(miroir_illegal_transition, HTTP 409\)\n$/,
    );
  }, 120_000);
});
