import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { openTaskStore } from "../src/index.js";
import { expectLayout1WebhooksMigrated, LAYOUT_1_WEBHOOKS } from "./layout-1-webhooks.js";
import { freePort, startRedis, stopRedis } from "./redis-server.js";
import { deleteKeysUnder, FakeClock, keysUnder } from "./store-locations.js";

const redisUrl = inject("redisUrl");

describe("opening a Redis task store", () => {
  it("refuses an unreachable server quickly with a clear error", async () => {
    const port = await freePort();
    const started = Date.now();
    const open = openTaskStore({ backend: "redis", url: `redis://127.0.0.1:${port}` });
    await expect(open).rejects.toMatchObject({ name: "TaskStoreError", code: "store_unreachable" });
    await expect(open).rejects.toThrow(/check task_store.url/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

if (redisUrl !== "") {
  describe("the Redis key layout", () => {
    const keyPrefix = `miroir-test:${randomUUID()}:`;
    const client = createClient({ url: redisUrl });

    beforeAll(() => client.connect());
    afterEach(() => deleteKeysUnder(redisUrl, keyPrefix));
    afterAll(() => client.close());

    it("keeps every key under the prefix, with index sets instead of scans", async () => {
      const clock = new FakeClock();
      const store = await openTaskStore({
        backend: "redis",
        url: redisUrl,
        keyPrefix,
        clock: clock.now,
      });
      await store.tasks.create({ indexUid: "movies", type: "indexCreation" });
      await store.jobs.enqueue({ type: "dump_import", id: "j1" });
      await store.leases.acquire("notifier", "pod-a", 60_000);
      await store.webhooks.put("hook:1", { url: "http://receiver/", headers: {} });
      await store.webhookCursor.advance(clock.time);
      await store.idempotencyKeys.claim("k", "sha", "pod-a", { ttlMs: 60_000, leaseMs: 5_000 });
      await store.sessions.recordWrite("s1", "movies", 0, 60_000);
      await store.close();
      const keys = (await keysUnder(client, keyPrefix)).map((key) => key.slice(keyPrefix.length));
      expect(keys.sort()).toEqual(
        [
          "idempotency_keys#expiry",
          "idempotency_keys#index",
          "idempotency_keys:k",
          "sessions#expiry",
          "sessions#index",
          "sessions:s1",
          "jobs#by:state:queued",
          "jobs#index",
          "jobs:j1",
          "leader_lease#expiry",
          "leader_lease#index",
          "leader_lease:notifier",
          "schema_version",
          "seq:job_seq",
          "seq:lease_token:notifier",
          "seq:task_uid",
          "seq:webhook_seq",
          "tasks#by:status:enqueued",
          "tasks#index",
          "tasks#order",
          "tasks#order-by:status:enqueued",
          "tasks:0",
          "webhook_cursor#index",
          "webhook_cursor:notifier",
          "webhooks#index",
          "webhooks:hook%3A1",
        ].sort(),
      );
      expect(await client.get(`${keyPrefix}schema_version`)).toBe("4");
      const ttl = await client.pTTL(`${keyPrefix}leader_lease:notifier`);
      expect(ttl).toBeGreaterThan(60_000);
      expect(await client.pTTL(`${keyPrefix}tasks:0`)).toBe(-1);
    });

    it("moves the webhooks and their cursor of a layout-1 store to their own rows, in order", async () => {
      // Layout 1 kept the webhooks in one search_ui_config row and the cursor in cdc_cursors.
      await client.set(`${keyPrefix}schema_version`, "1");
      await client.hSet(`${keyPrefix}search_ui_config:miroir%3Awebhooks`, {
        _rev: "1",
        index_uid: "miroir:webhooks",
        config_json: JSON.stringify(LAYOUT_1_WEBHOOKS.config),
        updated_at: String(LAYOUT_1_WEBHOOKS.updatedAt),
      });
      await client.sAdd(`${keyPrefix}search_ui_config#index`, "miroir%3Awebhooks");
      await client.hSet(`${keyPrefix}cdc_cursors:miroir-webhooks:*`, {
        _rev: "3",
        sink_name: "miroir-webhooks",
        index_uid: "*",
        last_event_seq: String(LAYOUT_1_WEBHOOKS.cursor),
        updated_at: "6",
      });
      await client.sAdd(`${keyPrefix}cdc_cursors#index`, "miroir-webhooks:*");
      await client.sAdd(
        `${keyPrefix}cdc_cursors#by:sink_name:miroir-webhooks`,
        "miroir-webhooks:*",
      );

      // Two processes opening at once both migrate; the copy is the same either way.
      const [store, other] = await Promise.all([
        openTaskStore({ backend: "redis", url: redisUrl, keyPrefix }),
        openTaskStore({ backend: "redis", url: redisUrl, keyPrefix }),
      ]);
      await other.close();
      await expectLayout1WebhooksMigrated(store);
      await store.close();
      expect(await client.get(`${keyPrefix}schema_version`)).toBe("4");
      const left = (await keysUnder(client, keyPrefix)).filter(
        (key) => key.includes("search_ui_config") || key.includes("cdc_cursors"),
      );
      expect(left).toEqual([]);
    });

    it("indexes the tasks of a layout-3 store by uid and by status so listings page through them", async () => {
      const store = await openTaskStore({ backend: "redis", url: redisUrl, keyPrefix });
      for (let i = 0; i < 5; i++) {
        const task = await store.tasks.create({ indexUid: "movies", type: "indexCreation" });
        if (i % 2 === 0) await store.tasks.update(task.uid, { status: "succeeded" });
      }
      await store.close();
      // Layout 3 had only the plain sets.
      await client.set(`${keyPrefix}schema_version`, "3");
      const orderKeys = (await keysUnder(client, keyPrefix)).filter((key) =>
        key.includes("#order"),
      );
      await client.del(orderKeys);

      const [reopened, other] = await Promise.all([
        openTaskStore({ backend: "redis", url: redisUrl, keyPrefix }),
        openTaskStore({ backend: "redis", url: redisUrl, keyPrefix }),
      ]);
      await other.close();
      expect(await client.get(`${keyPrefix}schema_version`)).toBe("4");
      const newest = await reopened.tasks.list({ limit: 2 });
      expect(newest).toMatchObject({ total: 5, next: 2 });
      expect(newest.results.map((task) => task.uid)).toEqual([4, 3]);
      const succeeded = await reopened.tasks.list({ statuses: ["succeeded"], from: 3 });
      expect(succeeded.results.map((task) => task.uid)).toEqual([2, 0]);
      expect(succeeded.total).toBe(3);
      await reopened.close();
    });

    it("refuses a key prefix another application uses and overwrites nothing", async () => {
      await client.set(`${keyPrefix}schema_version`, "hello");
      await expect(
        openTaskStore({ backend: "redis", url: redisUrl, keyPrefix }),
      ).rejects.toMatchObject({
        code: "store_foreign",
      });
      expect(await client.get(`${keyPrefix}schema_version`)).toBe("hello");
    });

    it("refuses a layout written by a newer Miroir and says to upgrade", async () => {
      await client.set(`${keyPrefix}schema_version`, "7");
      await expect(openTaskStore({ backend: "redis", url: redisUrl, keyPrefix })).rejects.toThrow(
        /upgrade Miroir/,
      );
      expect(await client.get(`${keyPrefix}schema_version`)).toBe("7");
    });

    it("refuses a server that rejects its commands and says to check the credentials", async () => {
      const user = `miroir-test-${randomUUID()}`;
      // A user that may log in but not touch the store's keys; other connections are unaffected.
      await client.aclSetUser(user, ["on", ">secret", "~elsewhere:*", "+@all"]);
      try {
        const url = new URL(redisUrl);
        url.username = user;
        url.password = "secret";
        const open = openTaskStore({ backend: "redis", url: url.toString(), keyPrefix });
        await expect(open).rejects.toMatchObject({ code: "store_unreachable" });
        await expect(open).rejects.toThrow(/check the credentials/);
        await expect(open).rejects.not.toThrow(/secret/);
      } finally {
        await client.aclDelUser(user);
      }
    });

    it("reloads its scripts after the server forgot them", async () => {
      const store = await openTaskStore({ backend: "redis", url: redisUrl, keyPrefix });
      await store.tasks.create({ indexUid: "movies", type: "indexCreation" });
      await client.scriptFlush();
      expect((await store.tasks.update(0, { status: "processing" }))?.status).toBe("processing");
      await store.close();
    });
  });
}

if (redisUrl !== "") {
  describe("a Redis task store whose server goes away", () => {
    it("fails operations at once with a typed error instead of hanging", async () => {
      const directory = mkdtempSync(join(tmpdir(), "miroir-taskstore-lost-"));
      const port = await freePort();
      const server = await startRedis(port, directory);
      const store = await openTaskStore({ backend: "redis", url: `redis://127.0.0.1:${port}` });
      try {
        await store.tasks.create({ indexUid: "movies", type: "indexCreation" });
        await stopRedis(server);
        const started = Date.now();
        await expect(store.tasks.get(0)).rejects.toMatchObject({
          name: "TaskStoreError",
          code: "store_unreachable",
        });
        await expect(store.tasks.create({ indexUid: "m", type: "x" })).rejects.toThrow(
          /Retry once Redis is reachable/,
        );
        expect(Date.now() - started).toBeLessThan(2_000);
      } finally {
        await stopRedis(server);
        await store.close().catch(() => {});
        rmSync(directory, { recursive: true, force: true });
      }
    });
  });
}
