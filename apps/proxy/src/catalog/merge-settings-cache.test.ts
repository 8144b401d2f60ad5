import type { MergeSettings } from "@miroir/merger";
import { describe, expect, it } from "vitest";
import { DEFAULT_MERGE_SETTINGS } from "../scatter/merge-settings.js";
import { createMergeSettingsCache } from "./merge-settings-cache.js";

const withKey = (primaryKey: string): MergeSettings => ({ ...DEFAULT_MERGE_SETTINGS, primaryKey });

/** A load the test settles by hand, counting how often it ran. */
function manualLoad() {
  const resolvers: ((settings: MergeSettings) => void)[] = [];
  const load = () =>
    new Promise<MergeSettings>((resolve) => {
      resolvers.push(resolve);
    });
  return { load, resolvers };
}

describe("the merge settings cache", () => {
  it("reads an index's settings once, however many searches miss at the same time", async () => {
    const cache = createMergeSettingsCache({ ttlMs: null });
    const { load, resolvers } = manualLoad();
    const reads = [cache.read("books", load), cache.read("books", load)];
    expect(resolvers).toHaveLength(1);
    resolvers[0]?.(withKey("id"));
    expect(await Promise.all(reads)).toEqual([withKey("id"), withKey("id")]);
    expect(await cache.read("books", load)).toEqual(withKey("id"));
    expect(resolvers).toHaveLength(1);
    expect(cache.get("books")).toEqual({ settings: withKey("id"), fresh: true });
  });

  it("reads again after an invalidation of that index or of every index", async () => {
    const cache = createMergeSettingsCache({ ttlMs: null });
    let reads = 0;
    const load = async () => withKey(`pk${++reads}`);
    await cache.read("books", load);
    await cache.read("films", load);
    cache.invalidate("books");
    expect(cache.get("books")).toBeUndefined();
    expect(cache.get("films")?.settings.primaryKey).toBe("pk2");
    expect((await cache.read("books", load)).primaryKey).toBe("pk3");
    cache.invalidate(null);
    expect(cache.get("films")).toBeUndefined();
    expect((await cache.read("films", load)).primaryKey).toBe("pk4");
  });

  it("never keeps settings read across an invalidation, and shares no such read afterwards", async () => {
    const cache = createMergeSettingsCache({ ttlMs: null });
    const { load, resolvers } = manualLoad();
    const straddling = cache.read("books", load);
    cache.invalidate("books");
    const after = cache.read("books", load);
    expect(resolvers).toHaveLength(2);
    resolvers[0]?.(withKey("old"));
    expect((await straddling).primaryKey).toBe("old");
    expect(cache.get("books")).toBeUndefined();
    resolvers[1]?.(withKey("new"));
    expect((await after).primaryKey).toBe("new");
    expect(cache.get("books")?.settings.primaryKey).toBe("new");
  });

  it("keeps nothing when the read fails, so the next search reads again", async () => {
    const cache = createMergeSettingsCache({ ttlMs: null });
    await expect(cache.read("gone", () => Promise.reject(new Error("404")))).rejects.toThrow("404");
    expect(cache.get("gone")).toBeUndefined();
    expect((await cache.read("gone", async () => withKey("id"))).primaryKey).toBe("id");
  });

  it("marks settings stale past the time to live and reads them again then", async () => {
    let clock = 1_000;
    const cache = createMergeSettingsCache({ ttlMs: 500, now: () => clock });
    let reads = 0;
    const load = async () => withKey(`pk${++reads}`);
    await cache.read("books", load);
    clock += 499;
    expect(cache.get("books")?.fresh).toBe(true);
    expect((await cache.read("books", load)).primaryKey).toBe("pk1");
    clock += 1;
    expect(cache.get("books")).toEqual({ settings: withKey("pk1"), fresh: false });
    expect((await cache.read("books", load)).primaryKey).toBe("pk2");
  });
});
