import { describe, expect, it } from "vitest";
import type { StoreLocationFactory } from "../store-locations.js";
import { adminSession, idempotency, session } from "./coordination-contract.js";
import { useStore } from "./store-fixture.js";

export function tablesContract(locations: StoreLocationFactory): void {
  describe("capability tables", () => {
    const fixture = useStore(locations);

    it("tracks settings versions per index and node, never moving backwards", async () => {
      const { store, clock } = fixture;
      const v3 = await store.nodeSettingsVersions.advance("movies", "meili-1", 3);
      expect(v3).toEqual({
        indexUid: "movies",
        nodeId: "meili-1",
        version: 3,
        updatedAt: clock.time,
      });
      clock.advance(5);
      expect(await store.nodeSettingsVersions.advance("movies", "meili-1", 2)).toEqual(v3);
      await store.nodeSettingsVersions.advance("movies", "meili-0", 4);
      await store.nodeSettingsVersions.advance("books", "meili-0", 1);
      expect(await store.nodeSettingsVersions.get("movies", "meili-0")).toMatchObject({
        version: 4,
      });
      expect(await store.nodeSettingsVersions.get("movies", "meili-9")).toBeNull();
      const movies = await store.nodeSettingsVersions.listForIndex("movies");
      expect(movies.map((row) => [row.nodeId, row.version])).toEqual([
        ["meili-0", 4],
        ["meili-1", 3],
      ]);
      expect(await store.nodeSettingsVersions.deleteIndex("movies")).toBe(2);
      expect(await store.nodeSettingsVersions.listForIndex("movies")).toEqual([]);
      expect(await store.nodeSettingsVersions.listForIndex("books")).toHaveLength(1);
      await expect(store.nodeSettingsVersions.advance("m", "n", -1)).rejects.toMatchObject({
        code: "invalid_input",
      });
    });

    it("creates, flips, lists and deletes aliases with a bounded history", async () => {
      const { store, clock } = fixture;
      const created = await store.aliases.create("products", "products-v1");
      expect(created).toEqual({
        name: "products",
        kind: "single",
        currentUid: "products-v1",
        targetUids: null,
        version: 1,
        createdAt: clock.time,
        history: [],
      });
      await expect(store.aliases.create("products", "x")).rejects.toMatchObject({
        code: "alias_exists",
      });
      await store.aliases.flip("products", "products-v2", { historyRetention: 2 });
      await store.aliases.flip("products", "products-v3", { historyRetention: 2 });
      const flipped = await store.aliases.flip("products", "products-v4", { historyRetention: 2 });
      expect(flipped).toMatchObject({ currentUid: "products-v4", version: 4 });
      expect(flipped?.history.map((state) => state.currentUid)).toEqual([
        "products-v3",
        "products-v2",
      ]);
      expect(await store.aliases.flip("products", "v9", { expectedVersion: 3 })).toBeNull();
      expect((await store.aliases.flip("products", "v5", { expectedVersion: 4 }))?.version).toBe(5);
      expect(await store.aliases.flip("missing", "v1")).toBeNull();
      await expect(store.aliases.flip("products", ["a", "b"])).rejects.toMatchObject({
        code: "alias_kind_mismatch",
      });
      await expect(
        store.aliases.flip("products", "v6", { historyRetention: -1 }),
      ).rejects.toMatchObject({ code: "invalid_input" });
      expect((await store.aliases.get("products"))?.currentUid).toBe("v5");
      const logs = await store.aliases.create("logs", ["logs-1", "logs-2"]);
      expect(logs).toMatchObject({
        kind: "multi",
        currentUid: null,
        targetUids: ["logs-1", "logs-2"],
      });
      expect((await store.aliases.list()).map((alias) => alias.name)).toEqual(["logs", "products"]);
      expect(await store.aliases.delete("logs")).toBe(true);
      expect(await store.aliases.delete("logs")).toBe(false);
      expect(await store.aliases.get("logs")).toBeNull();
      await expect(store.aliases.create("empty", [])).rejects.toMatchObject({
        code: "invalid_input",
      });
      await expect(store.aliases.create("", "x")).rejects.toMatchObject({ code: "invalid_input" });
    });

    it("stores session pins until they expire", async () => {
      const { store, clock } = fixture;
      const pin = session("sess-1", clock.time + 1_000);
      await store.sessions.put(pin);
      expect(await store.sessions.get("sess-1")).toEqual(pin);
      clock.advance(1_000);
      expect(await store.sessions.get("sess-1")).toBeNull();
      await store.sessions.put(session("sess-2", clock.time + 1_000));
      expect(await store.sessions.delete("sess-2")).toBe(true);
      expect(await store.sessions.get("sess-2")).toBeNull();
      await expect(store.sessions.put({ ...pin, sessionId: "" })).rejects.toMatchObject({
        code: "invalid_input",
      });
    });

    it("remembers the first use of an idempotency key until it expires", async () => {
      const { store, clock } = fixture;
      const first = idempotency("key-1", clock.time + 1_000, 7);
      expect(await store.idempotency.remember(first)).toBeNull();
      expect(await store.idempotency.remember(idempotency("key-1", clock.time + 1_000, 8))).toEqual(
        first,
      );
      expect(await store.idempotency.get("key-1")).toEqual(first);
      clock.advance(1_000);
      expect(await store.idempotency.get("key-1")).toBeNull();
      const reused = idempotency("key-1", clock.time + 1_000, 9);
      expect(await store.idempotency.remember(reused)).toBeNull();
      expect(await store.idempotency.get("key-1")).toEqual(reused);
      expect(await store.idempotency.delete("key-1")).toBe(true);
      await expect(
        store.idempotency.remember({ ...first, bodySha256: "not-hex" }),
      ).rejects.toMatchObject({ code: "invalid_input" });
    });

    it("stores canaries and keeps only the newest runs of each", async () => {
      const { store, clock } = fixture;
      const canary = {
        id: "c1",
        name: "top query",
        indexUid: "movies",
        intervalS: 60,
        query: { q: "star" },
        assertions: [{ minHits: 1 }],
        enabled: true,
        createdAt: clock.time,
      };
      await store.canaries.put(canary);
      await store.canaries.put({ ...canary, id: "c0", enabled: false });
      expect(await store.canaries.get("c1")).toEqual(canary);
      expect((await store.canaries.list()).map((c) => [c.id, c.enabled])).toEqual([
        ["c0", false],
        ["c1", true],
      ]);
      for (let i = 0; i < 5; i++) {
        await store.canaryRuns.record(
          {
            canaryId: "c1",
            ranAt: 1_000 + i,
            status: i === 4 ? "fail" : "pass",
            latencyMs: 3,
            failedAssertions: i === 4 ? [{ minHits: 1 }] : null,
          },
          3,
        );
      }
      const runs = await store.canaryRuns.list("c1");
      expect(runs.map((run) => run.ranAt)).toEqual([1_004, 1_003, 1_002]);
      expect(runs[0]).toMatchObject({ status: "fail", failedAssertions: [{ minHits: 1 }] });
      expect(await store.canaries.delete("c1")).toBe(true);
      expect(await store.canaryRuns.list("c1")).toEqual([]);
      expect(await store.canaries.get("c1")).toBeNull();
      await expect(
        store.canaryRuns.record({
          canaryId: "c0",
          ranAt: 1,
          status: "odd" as never,
          latencyMs: 1,
          failedAssertions: null,
        }),
      ).rejects.toMatchObject({ code: "invalid_input" });
      await expect(store.canaries.put({ ...canary, intervalS: -5 })).rejects.toMatchObject({
        code: "invalid_input",
      });
    });

    it("moves CDC cursors only forward", async () => {
      const { store, clock } = fixture;
      const cursor = await store.cdcCursors.advance("kafka", "movies", 10);
      expect(cursor).toEqual({
        sinkName: "kafka",
        indexUid: "movies",
        lastEventSeq: 10,
        updatedAt: clock.time,
      });
      expect(await store.cdcCursors.advance("kafka", "movies", 9)).toEqual(cursor);
      await store.cdcCursors.advance("kafka", "books", 1);
      await store.cdcCursors.advance("webhook", "books", 5);
      expect(await store.cdcCursors.get("kafka", "movies")).toEqual(cursor);
      expect(await store.cdcCursors.get("nats", "movies")).toBeNull();
      expect((await store.cdcCursors.listForSink("kafka")).map((c) => c.indexUid)).toEqual([
        "books",
        "movies",
      ]);
    });

    it("maps API key hashes to tenants", async () => {
      const { store } = fixture;
      const mapping = { apiKeyHash: "ef".repeat(32), tenantId: "acme", groupId: 1 };
      await store.tenantMap.put(mapping);
      await store.tenantMap.put({ apiKeyHash: "01".repeat(32), tenantId: "zeta", groupId: null });
      expect(await store.tenantMap.get(mapping.apiKeyHash)).toEqual(mapping);
      expect(await store.tenantMap.get("01".repeat(32))).toMatchObject({ groupId: null });
      expect(await store.tenantMap.delete(mapping.apiKeyHash)).toBe(true);
      expect(await store.tenantMap.get(mapping.apiKeyHash)).toBeNull();
      await expect(
        store.tenantMap.put({ ...mapping, apiKeyHash: "raw-key" }),
      ).rejects.toMatchObject({
        code: "invalid_input",
      });
    });

    it("stores rollover policies", async () => {
      const { store } = fixture;
      const policy = {
        name: "logs",
        writeAlias: "logs-write",
        readAlias: "logs-read",
        pattern: "logs-{YYYY-MM-DD}",
        triggers: { max_docs: 1_000_000 },
        retention: { keep_indexes: 7 },
        template: { primary_key: "id" },
        enabled: true,
      };
      await store.rolloverPolicies.put(policy);
      await store.rolloverPolicies.put({ ...policy, name: "audit", enabled: false });
      expect(await store.rolloverPolicies.get("logs")).toEqual(policy);
      expect((await store.rolloverPolicies.list()).map((p) => p.name)).toEqual(["audit", "logs"]);
      expect(await store.rolloverPolicies.delete("audit")).toBe(true);
      expect(await store.rolloverPolicies.get("audit")).toBeNull();
      await expect(store.rolloverPolicies.put({ ...policy, writeAlias: "" })).rejects.toMatchObject(
        {
          code: "invalid_input",
        },
      );
    });

    it("stores the search UI configuration per index", async () => {
      const { store, clock } = fixture;
      const saved = await store.searchUiConfigs.put("movies", {
        title: "Movies",
        facets: ["genre"],
      });
      expect(saved).toEqual({
        indexUid: "movies",
        config: { title: "Movies", facets: ["genre"] },
        updatedAt: clock.time,
      });
      expect(await store.searchUiConfigs.get("movies")).toEqual(saved);
      expect(await store.searchUiConfigs.delete("movies")).toBe(true);
      expect(await store.searchUiConfigs.get("movies")).toBeNull();
      await expect(store.searchUiConfigs.put("", {})).rejects.toMatchObject({
        code: "invalid_input",
      });
    });

    it("revokes admin sessions for every process and forgets them once expired", async () => {
      const { store, clock } = fixture;
      const other = await fixture.openAnother();
      const created = await store.adminSessions.create(
        adminSession("adm-1", clock.time, clock.time + 500),
      );
      expect(created.revoked).toBe(false);
      expect(await other.adminSessions.get("adm-1")).toEqual(created);
      expect(await store.adminSessions.revoke("adm-1")).toBe(true);
      expect(await other.adminSessions.get("adm-1")).toMatchObject({ revoked: true });
      expect(await store.adminSessions.revoke("nope")).toBe(false);
      clock.advance(500);
      expect(await other.adminSessions.get("adm-1")).toBeNull();
      await store.adminSessions.create(adminSession("adm-2", clock.time, clock.time + 500));
      expect(await store.adminSessions.delete("adm-2")).toBe(true);
      await expect(
        store.adminSessions.create(adminSession("", clock.time, clock.time + 1)),
      ).rejects.toMatchObject({ code: "invalid_input" });
    });

    it("keeps every table across a restart", async () => {
      const { clock } = fixture;
      await fixture.store.aliases.create("a", "a-1");
      await fixture.store.cdcCursors.advance("s", "i", 3);
      await fixture.store.sessions.put(session("p", clock.time + 10_000));
      const reopened = await fixture.restart();
      expect(await reopened.aliases.get("a")).toMatchObject({ currentUid: "a-1" });
      expect(await reopened.cdcCursors.get("s", "i")).toMatchObject({ lastEventSeq: 3 });
      expect(await reopened.sessions.get("p")).not.toBeNull();
    });
  });
}
