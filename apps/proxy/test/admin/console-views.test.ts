import { shardOf } from "@miroir/router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

const ADMIN = "console-views-admin-key-0123456789";
const SHARDS = 8;

interface AdminTask {
  uid: number;
  status: string;
  type: string;
  indexUid: string | null;
  nodeTasks: { nodeId: string; taskUid: number; status: string | null }[];
}

// Real Meilisearch nodes index in their own time: the writes here wait for them.
describe("the admin views the console reads", { timeout: 60_000 }, () => {
  let env: ProxiedCluster;
  const admin = (path: string) => env.miroir(path, { headers: { "x-admin-key": ADMIN } });

  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 3, shards: SHARDS }, { admin: { api_key: ADMIN } });
    const created = await env.miroir("/indexes", json({ uid: "books", primaryKey: "isbn" }));
    expect(
      (await env.waitTask(((await created.json()) as { taskUid: number }).taskUid)).status,
    ).toBe("succeeded");
    const settings = await env.miroir(
      "/indexes/books/settings",
      json(
        { filterableAttributes: ["author", "_miroir_shard"], sortableAttributes: ["year"] },
        "PATCH",
      ),
    );
    expect(
      (await env.waitTask(((await settings.json()) as { taskUid: number }).taskUid)).status,
    ).toBe("succeeded");
  }, 120_000);

  afterAll(async () => {
    await env?.stop();
  }, 60_000);

  it("need the admin key, like every admin route", async () => {
    for (const path of [
      "/_miroir/tasks",
      "/_miroir/tasks/0",
      "/_miroir/indexes",
      "/_miroir/versions",
    ]) {
      const answer = await env.miroir(path);
      expect(answer.status, path).toBe(401);
      expect(((await answer.json()) as { code: string }).code).toBe("miroir_invalid_auth");
    }
  });

  it("list every task with the node tasks behind it, newest first, with Meilisearch's filters", async () => {
    const books = Array.from({ length: 24 }, (_, i) => ({
      isbn: `isbn-${i}`,
      author: `a${i % 3}`,
    }));
    const written = (await (await env.miroir("/indexes/books/documents", json(books))).json()) as {
      taskUid: number;
    };
    await env.waitTask(written.taskUid);
    const page = (await (await admin("/_miroir/tasks?limit=2")).json()) as {
      results: AdminTask[];
      total: number;
      next: number | null;
    };
    expect(page.results[0]?.uid).toBe(written.taskUid);
    expect(page.results.map((task) => task.uid)).toEqual([written.taskUid, written.taskUid - 1]);
    expect(page.total).toBe(written.taskUid + 1);
    expect(page.next).toBe(written.taskUid - 2);
    const write = page.results[0] as AdminTask;
    expect(write).toMatchObject({
      status: "succeeded",
      type: "documentAdditionOrUpdate",
      indexUid: "books",
    });
    const nodeIds = write.nodeTasks.map((node) => node.nodeId);
    expect(nodeIds).toEqual([...new Set(nodeIds)].sort());
    expect(nodeIds.length).toBeGreaterThan(0);
    for (const node of write.nodeTasks) {
      expect(node.status).toBe("succeeded");
      const onNode = (await (await env.node(node.nodeId, `/tasks/${node.taskUid}`)).json()) as {
        indexUid: string;
        status: string;
      };
      expect(onNode).toMatchObject({ indexUid: "books", status: "succeeded" });
    }
    const settingsOnly = (await (await admin("/_miroir/tasks?types=settingsUpdate")).json()) as {
      results: AdminTask[];
    };
    expect(settingsOnly.results.map((task) => task.type)).toEqual(["settingsUpdate"]);
  });

  it("show one task like GET /tasks/{uid}, and refuse a bad or unknown uid as Meilisearch does", async () => {
    const one = (await (await admin("/_miroir/tasks/0")).json()) as AdminTask;
    const client = (await (await env.miroir("/tasks/0")).json()) as Record<string, unknown>;
    const { nodeTasks, ...asClientSeesIt } = one;
    expect(asClientSeesIt).toEqual(client);
    // Creating an index is three tasks on every node: the index, `_miroir_shard` filterable,
    // and the nodes' large `maxValuesPerFacet` (facets are cut in the merge).
    expect(nodeTasks.map((node) => node.nodeId)).toEqual(
      ["node-0", "node-1", "node-2"].flatMap((node) => [node, node, node]),
    );
    const bad = await admin("/_miroir/tasks/abc");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe("invalid_task_uids");
    const unknown = await admin("/_miroir/tasks/999999");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe("task_not_found");
  });

  it("count each index's documents per shard, once, and hide _miroir_* attributes", async () => {
    const view = (await (await admin("/_miroir/indexes")).json()) as {
      results: {
        uid: string;
        primaryKey: string;
        numberOfDocuments: number;
        documentsPerShard: number[];
        filterableAttributes: string[];
        sortableAttributes: string[];
      }[];
      unavailableShards: number[];
    };
    const expected = Array.from(
      { length: SHARDS },
      (_, shard) =>
        Array.from({ length: 24 }, (_, i) => `isbn-${i}`).filter(
          (isbn) => shardOf(isbn, SHARDS) === shard,
        ).length,
    );
    expect(view).toEqual({
      results: [
        {
          uid: "books",
          primaryKey: "isbn",
          numberOfDocuments: 24,
          documentsPerShard: expected,
          filterableAttributes: ["author"],
          sortableAttributes: ["year"],
        },
      ],
      unavailableShards: [],
    });
    const stats = (await (await env.miroir("/indexes/books/stats")).json()) as {
      numberOfDocuments: number;
    };
    expect(stats.numberOfDocuments).toBe(24);
  });

  it("name every node's Meilisearch version and the process that answers", async () => {
    const versions = (await (await admin("/_miroir/versions")).json()) as {
      nodes: { id: string; version: string | null }[];
      process: { hostname: string; startedAt: string; nodeVersion: string; taskStore: string };
    };
    const direct = (await (await env.node("node-1", "/version")).json()) as { pkgVersion: string };
    expect(versions.nodes).toEqual(
      ["node-0", "node-1", "node-2"].map((id) => ({ id, version: direct.pkgVersion })),
    );
    expect(versions.process.taskStore).toBe("sqlite");
    expect(versions.process.nodeVersion).toBe(process.version);
    expect(Number.isNaN(Date.parse(versions.process.startedAt))).toBe(false);
  });
});
