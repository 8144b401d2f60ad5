import { describe, expect, it } from "vitest";
import type { StoreLocationFactory } from "../store-locations.js";
import { useStore } from "./store-fixture.js";

export function aliasesContract(locations: StoreLocationFactory): void {
  describe("aliases", () => {
    const fixture = useStore(locations);

    it("creates an alias once, lists aliases by name, and deletes one", async () => {
      const { store, clock } = fixture;
      const created = await store.aliases.create("movies", ["movies-v1"]);
      expect(created).toEqual({
        name: "movies",
        indexes: ["movies-v1"],
        version: 1,
        history: [],
        createdAt: clock.time,
        updatedAt: clock.time,
      });
      expect(await store.aliases.create("movies", ["other"])).toBeNull();
      await store.aliases.create("logs", ["logs-2", "logs-1"]);
      expect((await store.aliases.list()).map((alias) => [alias.name, alias.indexes])).toEqual([
        ["logs", ["logs-2", "logs-1"]],
        ["movies", ["movies-v1"]],
      ]);
      expect(await store.aliases.delete("logs")).toBe(true);
      expect(await store.aliases.delete("logs")).toBe(false);
      expect(await store.aliases.get("logs")).toBeNull();
    });

    it("switches an alias atomically, one version up, keeping a bounded history", async () => {
      const { store, clock } = fixture;
      await store.aliases.create("movies", ["v1"]);
      for (const next of ["v2", "v3", "v4"]) {
        clock.advance(10);
        const switched = await store.aliases.switch("movies", [next], { historyKept: 2 });
        expect(switched.outcome).toBe("switched");
      }
      const alias = await store.aliases.get("movies");
      expect(alias).toMatchObject({ indexes: ["v4"], version: 4, updatedAt: clock.time });
      expect(alias?.history.map((flip) => [flip.indexes, flip.version])).toEqual([
        [["v3"], 3],
        [["v2"], 2],
      ]);
    });

    it("refuses a switch from a stale version and a switch of a missing alias", async () => {
      const { store } = fixture;
      await store.aliases.create("movies", ["v1"]);
      const first = await store.aliases.switch("movies", ["v2"], {
        expectedVersion: 1,
        historyKept: 5,
      });
      expect(first.outcome).toBe("switched");
      const stale = await store.aliases.switch("movies", ["v3"], {
        expectedVersion: 1,
        historyKept: 5,
      });
      expect(stale).toMatchObject({ outcome: "version_conflict", alias: { indexes: ["v2"] } });
      expect(await store.aliases.switch("nope", ["v1"], { historyKept: 5 })).toEqual({
        outcome: "missing",
      });
    });

    it("counts every switch of concurrent switchers exactly once", async () => {
      const { store } = fixture;
      await store.aliases.create("movies", ["v0"]);
      const targets = Array.from({ length: 8 }, (_, at) => `v${at + 1}`);
      await Promise.all(
        targets.map((target) => store.aliases.switch("movies", [target], { historyKept: 20 })),
      );
      const alias = await store.aliases.get("movies");
      expect(alias?.version).toBe(9);
      expect(alias?.history).toHaveLength(8);
    });

    it("refuses an alias without a name or indexes, or naming an index twice", async () => {
      const { store } = fixture;
      await expect(store.aliases.create("", ["x"])).rejects.toMatchObject({
        code: "invalid_input",
      });
      await expect(store.aliases.create("a", [])).rejects.toMatchObject({ code: "invalid_input" });
      await expect(store.aliases.create("a", ["x", "x"])).rejects.toMatchObject({
        code: "invalid_input",
      });
      expect(await store.aliases.list()).toEqual([]);
    });
  });
}

export function rolloverPoliciesContract(locations: StoreLocationFactory): void {
  describe("rollover policies", () => {
    const fixture = useStore(locations);
    const policy = {
      name: "logs",
      readAlias: "logs-all",
      maxAgeMs: null,
      maxDocuments: 1000,
      maxSizeBytes: null,
      keepGenerations: 3,
    };

    it("stores a policy, changes its limits keeping its generation, and deletes it", async () => {
      const { store, clock } = fixture;
      expect(await store.rolloverPolicies.put(policy, 1)).toEqual({
        ...policy,
        generation: 1,
        createdAt: clock.time,
        updatedAt: clock.time,
      });
      await store.rolloverPolicies.advance("logs", 2);
      clock.advance(5);
      const changed = await store.rolloverPolicies.put({ ...policy, maxDocuments: 10 }, 1);
      expect(changed).toMatchObject({ maxDocuments: 10, generation: 2, updatedAt: clock.time });
      expect((await store.rolloverPolicies.list()).map((stored) => stored.name)).toEqual(["logs"]);
      expect(await store.rolloverPolicies.delete("logs")).toBe(true);
      expect(await store.rolloverPolicies.get("logs")).toBeNull();
    });

    it("advances a generation once when several rollers race", async () => {
      const { store } = fixture;
      await store.rolloverPolicies.put(policy, 1);
      const raced = await Promise.all(
        [1, 2, 3, 4].map(() => store.rolloverPolicies.advance("logs", 2)),
      );
      expect(raced.filter((won) => won !== null)).toHaveLength(1);
      expect((await store.rolloverPolicies.get("logs"))?.generation).toBe(2);
      expect(await store.rolloverPolicies.advance("logs", 2)).toBeNull();
    });

    it("refuses a policy whose read alias is its write alias, or a limit below 1", async () => {
      const { store } = fixture;
      await expect(
        store.rolloverPolicies.put({ ...policy, readAlias: "logs" }, 1),
      ).rejects.toMatchObject({ code: "invalid_input" });
      await expect(
        store.rolloverPolicies.put({ ...policy, maxDocuments: 0 }, 1),
      ).rejects.toMatchObject({ code: "invalid_input" });
      expect(await store.rolloverPolicies.list()).toEqual([]);
    });
  });
}

export function indexShardsContract(locations: StoreLocationFactory): void {
  describe("index shard counts", () => {
    const fixture = useStore(locations);

    it("registers, changes, lists and forgets an index's shard count", async () => {
      const { store, clock } = fixture;
      expect(await store.indexShards.get("movies")).toBeNull();
      expect(await store.indexShards.set("movies", 64)).toEqual({
        indexUid: "movies",
        shards: 64,
        updatedAt: clock.time,
      });
      await store.indexShards.set("books", 3);
      await store.indexShards.set("movies", 16);
      expect(
        (await store.indexShards.list()).map(({ indexUid, shards }) => [indexUid, shards]),
      ).toEqual([
        ["books", 3],
        ["movies", 16],
      ]);
      expect(await store.indexShards.delete("movies")).toBe(true);
      expect(await store.indexShards.delete("movies")).toBe(false);
      expect(await store.indexShards.get("movies")).toBeNull();
    });

    it("refuses a shard count that is not a positive integer", async () => {
      const { store } = fixture;
      await expect(store.indexShards.set("movies", 0)).rejects.toThrow(/positive integer/);
      await expect(store.indexShards.set("movies", 1.5)).rejects.toThrow(/positive integer/);
    });
  });
}
