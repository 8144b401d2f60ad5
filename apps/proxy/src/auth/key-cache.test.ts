import { describe, expect, it } from "vitest";
import type { ApiKey } from "./api-key.js";
import { createKeyCache } from "./key-cache.js";

function key(uid: string, value: string): ApiKey {
  return {
    name: null,
    description: null,
    key: value,
    uid,
    actions: ["*"],
    indexes: ["*"],
    expiresAt: null,
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-01T00:00:00Z",
  };
}

describe("the key cache", () => {
  it("finds keys by value and uid, loading once and re-reading on a miss at most once per interval", async () => {
    let loads = 0;
    let keys = [key("uid-a", "value-a")];
    let now = 0;
    const cache = createKeyCache({
      load: async () => {
        loads += 1;
        return keys;
      },
      missRefreshMs: 1_000,
      now: () => now,
    });
    expect((await cache.byValue("value-a"))?.uid).toBe("uid-a");
    expect((await cache.byUid("UID-A"))?.key).toBe("value-a");
    expect(loads).toBe(1);

    keys = [...keys, key("uid-b", "value-b")];
    expect(await cache.byValue("value-b")).toBeUndefined();
    expect(await cache.byValue("guess")).toBeUndefined();
    expect(loads).toBe(1);

    now = 1_500;
    expect((await cache.byValue("value-b"))?.uid).toBe("uid-b");
    expect(loads).toBe(2);
  });

  it("re-reads at once after a key write", async () => {
    let keys = [key("uid-a", "value-a")];
    const cache = createKeyCache({ load: async () => keys, missRefreshMs: 60_000 });
    expect(await cache.byValue("value-a")).toBeDefined();
    keys = [];
    await cache.refresh();
    expect(await cache.byValue("value-a")).toBeUndefined();
  });

  it("keeps answering from the last keys read while the nodes cannot be read", async () => {
    let reachable = true;
    let now = 0;
    const cache = createKeyCache({
      load: async () => {
        if (!reachable) throw new Error("node unreachable");
        return [key("uid-a", "value-a")];
      },
      missRefreshMs: 10,
      now: () => now,
    });
    expect(await cache.byValue("value-a")).toBeDefined();
    reachable = false;
    now = 100;
    expect(await cache.byValue("other")).toBeUndefined();
    expect(await cache.byValue("value-a")).toBeDefined();
    await expect(cache.refresh()).rejects.toThrow("node unreachable");
  });
});
