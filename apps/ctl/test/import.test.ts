import { fileURLToPath } from "node:url";
import { type Cluster, startCluster } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, removeHome, runCtl } from "./ctl-process.js";
import { ADMIN_KEY, MASTER_KEY, type MiroirUnderTest, startMiroir } from "./miroir-under-test.js";

const V5_DUMP = fileURLToPath(
  new URL("../../../../shared/meili-data/dumps/v5.dump", import.meta.url),
);

async function json<T>(answer: Response): Promise<T> {
  expect(answer.ok, await answer.clone().text()).toBe(true);
  return (await answer.json()) as T;
}

describe("miroir-ctl import", () => {
  let miroir: MiroirUnderTest;
  let source: Cluster;
  let home: string;
  const ctl = (args: string[]) =>
    runCtl([...args, "--url", miroir.url], {
      home,
      env: { MIROIR_ADMIN_API_KEY: ADMIN_KEY, MIROIR_MASTER_KEY: MASTER_KEY },
      timeoutMs: 120_000,
    });

  beforeAll(async () => {
    home = await makeHome();
    miroir = await startMiroir({ nodes: 3, rf: 2, shards: 4 }, { dump_import: { batch_size: 50 } });
    source = await startCluster({ nodes: 1, shards: 1 });
  }, 120_000);
  afterAll(async () => {
    await miroir?.stop();
    await source?.stop();
    await removeHome(home);
  });

  it("imports a dump file and reports what it imported (--json)", async () => {
    const run = await ctl(["import", V5_DUMP, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({
      status: "succeeded",
      dumpVersion: 5,
      keys: 2,
      indexes: 3,
      documents: 420,
      totalDocuments: 420,
      failedTasks: [],
    });
    for (const [uid, count] of [
      ["movies", 200],
      ["movies_2", 200],
      ["products", 10],
      ["dnd_spells", 10],
    ] as const) {
      const stats = await json<{ numberOfDocuments: number }>(
        await miroir.call(`/indexes/${uid}/stats`),
      );
      expect(stats.numberOfDocuments, uid).toBe(count);
    }
    const shown = await ctl(["dump", "status", String(result.id), "--json"]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: result.id, status: "succeeded" });
    const listed = await ctl(["dump", "status"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(String(result.id));
    expect(listed.stdout).toContain("420/420");
    // Nothing left to resume once it succeeded.
    const resume = await ctl(["import", V5_DUMP, "--resume"]);
    expect(resume.code).toBe(1);
    expect(resume.stderr).toContain("No interrupted or failed import to resume");
  }, 120_000);

  it("copies a running node: keys, indexes with their settings, documents", async () => {
    const node = source.nodes[0];
    const nodeKey = String(source.config.node_master_key);
    const call = async (path: string, method: string, body: unknown) => {
      const answer = await fetch(`${node?.address}${path}`, {
        method,
        headers: { authorization: `Bearer ${nodeKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const { taskUid } = (await answer.json()) as { taskUid?: number };
      for (let attempt = 0; taskUid !== undefined && attempt < 1000; attempt++) {
        const task = await json<{ status: string }>(
          await fetch(`${node?.address}/tasks/${taskUid}`, {
            headers: { authorization: `Bearer ${nodeKey}` },
          }),
        );
        if (task.status === "succeeded") return;
        expect(task.status).not.toBe("failed");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await call("/indexes", "POST", { uid: "books", primaryKey: "isbn" });
    await call("/indexes/books/settings", "PATCH", {
      filterableAttributes: ["year"],
      rankingRules: ["words", "typo", "year:desc", "proximity", "attribute", "sort", "exactness"],
      synonyms: { tome: ["book"] },
    });
    const books = Array.from({ length: 230 }, (_, n) => ({
      isbn: `isbn-${n}`,
      title: `book ${n}`,
      year: 1900 + (n % 120),
    }));
    await call("/indexes/books/documents", "POST", books);
    const keyUid = "0b6e1c52-3f0c-4d7e-9a5e-2d3c4b5a6f70";
    await call("/keys", "POST", {
      uid: keyUid,
      name: "reader",
      actions: ["search"],
      indexes: ["books"],
      expiresAt: null,
    });

    const run = await ctl(["import", "--from", String(node?.address), "--key", nodeKey, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ documents: 230, totalDocuments: 230 });

    const imported = await json<{ results: Record<string, unknown>[] }>(
      await miroir.call("/indexes/books/documents/fetch", { body: { limit: 1000 } }),
    );
    const byIsbn = new Map(imported.results.map((book) => [book.isbn, book]));
    expect(byIsbn.size).toBe(230);
    for (const book of books) expect(byIsbn.get(book.isbn)).toEqual(book);
    const settings = await json<Record<string, unknown>>(
      await miroir.call("/indexes/books/settings"),
    );
    expect(settings).toMatchObject({
      filterableAttributes: ["year"],
      synonyms: { tome: ["book"] },
    });
    expect(settings.rankingRules).toContain("year:desc");
    const key = await json<{ key: string; actions: string[] }>(
      await miroir.call(`/keys/${keyUid}`),
    );
    const original = await json<{ key: string }>(
      await fetch(`${node?.address}/keys/${keyUid}`, {
        headers: { authorization: `Bearer ${nodeKey}` },
      }),
    );
    expect(key.actions).toEqual(["search"]);
    // Same uid under the same master key (testkit's nodes all share one): same value.
    expect(String(miroir.cluster.config.node_master_key)).toBe(nodeKey);
    expect(key.key).toBe(original.key);

    // A second run finds everything in place and writes the same documents again.
    const again = await ctl([
      "import",
      "--from",
      String(node?.address),
      "--key",
      nodeKey,
      "--json",
    ]);
    expect(again.code, again.stderr).toBe(0);
    const stats = await json<{ numberOfDocuments: number }>(
      await miroir.call("/indexes/books/stats"),
    );
    expect(stats.numberOfDocuments).toBe(230);
  }, 120_000);
});
