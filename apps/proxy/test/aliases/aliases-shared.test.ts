import { type Cluster, startCluster } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../cluster-ops/eventually.js";
import { type SharedProxies, startSharedProxies } from "../cluster-ops/shared-proxies.js";
import { openTestRedis } from "../cluster-ops/shared-redis.js";
import { json } from "../proxy-cluster.js";

const MASTER_KEY = "alias-master-key-0123456789";
const ADMIN_KEY = "alias-admin-key-0123456789";
const redis = await openTestRedis();
if (redis.unavailable !== "") console.warn(`shared alias suite skipped: ${redis.unavailable}`);

describe.skipIf(redis.url === "")(
  "aliases shared by two proxies, and keys scoped to an alias",
  () => {
    let cluster: Cluster;
    let shared: SharedProxies | undefined;
    const on = (at: number, path: string, init: RequestInit = {}, key = MASTER_KEY) =>
      (shared as SharedProxies).on(at, path, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${key}` },
      });
    const waitTask = async (at: number, answer: Response) => {
      const { taskUid } = (await answer.json()) as { taskUid: number };
      return eventually(
        async () => (await (await on(at, `/tasks/${taskUid}`)).json()) as { status: string },
        (task) => ["succeeded", "failed"].includes(task.status),
        20_000,
      );
    };

    beforeAll(async () => {
      cluster = await startCluster({ nodes: 2, shards: 4 });
      shared = await startSharedProxies({
        redisUrl: redis.url,
        config: {
          ...cluster.config,
          master_key: MASTER_KEY,
          admin: { api_key: ADMIN_KEY },
          health: { interval_ms: 200, timeout_ms: 150 },
        },
        headers: { "x-admin-key": ADMIN_KEY },
      });
      for (const uid of ["old", "new"]) {
        await waitTask(0, await on(0, "/indexes", json({ uid, primaryKey: "id" })));
        await waitTask(0, await on(0, `/indexes/${uid}/documents`, json([{ id: 1, from: uid }])));
      }
    }, 60_000);
    afterAll(async () => {
      await shared?.close();
      await cluster?.stop();
      await redis.stop();
    }, 60_000);

    it("follows an alias created and switched through the other proxy", async () => {
      const created = await on(0, "/_miroir/aliases", json({ name: "current", indexes: ["old"] }));
      expect(created.status).toBe(201);
      const from = async () => {
        const answer = await on(1, "/indexes/current/documents/1");
        return answer.status === 200 ? ((await answer.json()) as { from: string }).from : null;
      };
      expect(await eventually(from, (value) => value === "old")).toBe("old");
      await on(0, "/_miroir/aliases/current", json({ indexes: ["new"] }, "PUT"));
      expect(await eventually(from, (value) => value === "new")).toBe("new");
    });

    it("lets a key scoped to the alias name reach the index through it, and nothing else", async () => {
      await on(0, "/_miroir/aliases", json({ name: "scoped", indexes: ["old"] }));
      const keyAnswer = await on(
        0,
        "/keys",
        json({ actions: ["search", "documents.get"], indexes: ["scoped"], expiresAt: null }),
      );
      expect(keyAnswer.status).toBe(201);
      const { key } = (await keyAnswer.json()) as { key: string };
      const through = await eventually(
        async () => (await on(0, "/indexes/scoped/search", json({ q: "" }), key)).status,
        (status) => status === 200,
      );
      expect(through).toBe(200);
      expect((await on(0, "/indexes/old/search", json({ q: "" }), key)).status).toBe(403);
      expect((await on(0, "/indexes/scoped/documents", json([{ id: 2 }]), key)).status).toBe(403);
    });
  },
);
