import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, removeHome, runCtl } from "./ctl-process.js";
import { ADMIN_KEY, type MiroirUnderTest, startMiroir } from "./miroir-under-test.js";

describe("miroir-ctl verify and repair", () => {
  let miroir: MiroirUnderTest;
  let home: string;
  const ctl = (args: string[]) =>
    runCtl([...args, "--url", miroir.url], { home, env: { MIROIR_ADMIN_API_KEY: ADMIN_KEY } });
  const nodeCall = async (path: string, init: RequestInit) => {
    const node = miroir.cluster.nodes[1];
    const answer = await fetch(`${node?.address}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${String(miroir.cluster.config.node_master_key)}`,
        "content-type": "application/json",
      },
    });
    const { taskUid } = (await answer.json()) as { taskUid: number };
    for (let attempt = 0; attempt < 500; attempt++) {
      const task = (await (
        await fetch(`${node?.address}/tasks/${taskUid}`, {
          headers: { authorization: `Bearer ${String(miroir.cluster.config.node_master_key)}` },
        })
      ).json()) as { status: string };
      if (task.status === "succeeded") return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("node task did not finish");
  };

  beforeAll(async () => {
    home = await makeHome();
    miroir = await startMiroir({ nodes: 3, rf: 3, shards: 4 });
    const created = await miroir.call("/indexes", { body: { uid: "books", primaryKey: "id" } });
    await miroir.waitTask(((await created.json()) as { taskUid: number }).taskUid);
    const docs = Array.from({ length: 30 }, (_, id) => ({ id, title: `book ${id}` }));
    const added = await miroir.call("/indexes/books/documents", { body: docs });
    await miroir.waitTask(((await added.json()) as { taskUid: number }).taskUid);
  }, 60_000);
  afterAll(async () => {
    await miroir?.stop();
    await removeHome(home);
  });

  it("verify exits 0 when the replicas agree, 1 with the divergence once a replica was changed behind Miroir's back, and repair fixes it", async () => {
    const clean = await ctl(["verify", "--json"]);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ divergentDocuments: 0, divergentSettings: 0 });

    await nodeCall("/indexes/books/documents/7", { method: "DELETE" });
    await nodeCall("/indexes/books/settings", {
      method: "PATCH",
      body: JSON.stringify({ synonyms: { tome: ["book"] } }),
    });
    const found = await ctl(["verify"]);
    expect(found.code).toBe(1);
    expect(found.stdout.split("\n")[0]).toBe(
      "Divergent documents: 1 (0 repaired) | Nodes with divergent settings: 1",
    );
    expect(found.stdout).toContain("node-1 to repair");

    const repaired = await ctl(["repair", "--json"]);
    expect(repaired.code).toBe(0);
    expect(JSON.parse(repaired.stdout)).toMatchObject({
      divergentDocuments: 1,
      repairedDocuments: 1,
      divergentSettings: 1,
    });
    const after = await ctl(["verify", "--index", "books"]);
    expect(after.code).toBe(0);
    expect(after.stdout.split("\n")[0]).toBe(
      "Divergent documents: 0 (0 repaired) | Nodes with divergent settings: 0",
    );
  }, 60_000);
});
