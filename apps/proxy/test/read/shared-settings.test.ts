import { type Cluster, startCluster } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SharedProxies, startSharedProxies } from "../cluster-ops/shared-proxies.js";
import { openTestRedis } from "../cluster-ops/shared-redis.js";
import { json } from "../proxy-cluster.js";
import { guardedAdmin } from "../test-config.js";

const redis = await openTestRedis();
if (redis.unavailable !== "") console.warn(`shared settings suite skipped: ${redis.unavailable}`);

describe.skipIf(redis.url === "")("settings cached by two proxies sharing one Redis", () => {
  let cluster: Cluster;
  let shared: SharedProxies | undefined;
  const on = (at: number, path: string, init?: RequestInit) =>
    (shared as SharedProxies).on(at, path, init);
  const waitTask = async (at: number, answer: Response) => {
    const { taskUid } = (await answer.json()) as { taskUid: number };
    for (let attempt = 0; attempt < 500; attempt++) {
      const task = (await (await on(at, `/tasks/${taskUid}`)).json()) as { status: string };
      if (["succeeded", "failed", "canceled"].includes(task.status)) return task.status;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`task ${taskUid} did not finish`);
  };
  const hitsOn = async (at: number) => {
    const answer = await on(at, "/indexes/books/search", json({ q: "", limit: 50 }));
    return ((await answer.json()) as { hits: unknown[] }).hits.length;
  };

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 2, shards: 8 });
    shared = await startSharedProxies({
      redisUrl: redis.url,
      config: guardedAdmin(cluster.config),
    });
    expect(
      await waitTask(0, await on(0, "/indexes", json({ uid: "books", primaryKey: "id" }))),
    ).toBe("succeeded");
    const rows = Array.from({ length: 40 }, (_, id) => ({ id, genre: id % 2 ? "odd" : "even" }));
    expect(await waitTask(0, await on(0, "/indexes/books/documents", json(rows)))).toBe(
      "succeeded",
    );
  }, 60_000);

  afterAll(async () => {
    await shared?.close();
    await cluster?.stop();
    await redis.stop();
  });

  it("merges with another proxy's settings change from the first search a second after it", async () => {
    expect(await hitsOn(1)).toBe(40);
    const distinct = await on(
      0,
      "/indexes/books/settings",
      json({ distinctAttribute: "genre" }, "PATCH"),
    );
    expect(await waitTask(0, distinct)).toBe("succeeded");
    // The changing proxy forgot its own copy before showing the task finished.
    expect(await hitsOn(0)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await hitsOn(1)).toBe(2);
  });
});
