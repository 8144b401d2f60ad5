import { describe, expect, it } from "vitest";
import type { StoreLocationFactory } from "../store-locations.js";
import { useStore } from "./store-fixture.js";

const TERMS = { ttlMs: 60_000, leaseMs: 5_000 };
const ANSWER = {
  status: 202,
  headers: { "content-type": "application/json" },
  body: '{"taskUid":7}',
};

export function guaranteesContract(locations: StoreLocationFactory): void {
  describe("idempotency keys", () => {
    const fixture = useStore(locations);

    it("answers a repeat with the first answer, and a different request under the key with a conflict", async () => {
      const { store } = fixture;
      expect(await store.idempotencyKeys.claim("k", "sha-a", "p1", TERMS)).toEqual({
        kind: "claimed",
      });
      expect(await store.idempotencyKeys.claim("k", "sha-a", "p2", TERMS)).toMatchObject({
        kind: "in_flight",
        holder: "p1",
      });
      expect(await store.idempotencyKeys.claim("k", "sha-b", "p2", TERMS)).toEqual({
        kind: "conflict",
      });
      expect(await store.idempotencyKeys.complete("k", "p2", ANSWER, TERMS.ttlMs)).toBe(false);
      expect(await store.idempotencyKeys.complete("k", "p1", ANSWER, TERMS.ttlMs)).toBe(true);
      const reopened = await fixture.restart();
      expect(await reopened.idempotencyKeys.claim("k", "sha-a", "p3", TERMS)).toEqual({
        kind: "completed",
        answer: ANSWER,
      });
      expect(await reopened.idempotencyKeys.claim("k", "sha-b", "p3", TERMS)).toEqual({
        kind: "conflict",
      });
    });

    it("gives a free key to exactly one of many concurrent claims, across connections", async () => {
      const { store } = fixture;
      const other = await fixture.openAnother();
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? store : other).idempotencyKeys.claim("k", "sha", `p${i}`, TERMS),
        ),
      );
      expect(claims.filter((claim) => claim.kind === "claimed")).toHaveLength(1);
      expect(claims.filter((claim) => claim.kind === "in_flight")).toHaveLength(19);
    });

    it("lets another holder take over a claim nobody renewed, and forgets a released one", async () => {
      const { store, clock } = fixture;
      await store.idempotencyKeys.claim("k", "sha", "p1", TERMS);
      clock.advance(4_000);
      expect(await store.idempotencyKeys.renew("k", "p1", 5_000)).toBe(true);
      clock.advance(4_000);
      expect((await store.idempotencyKeys.claim("k", "sha", "p2", TERMS)).kind).toBe("in_flight");
      clock.advance(1_000);
      expect((await store.idempotencyKeys.claim("k", "sha", "p2", TERMS)).kind).toBe("claimed");
      expect(await store.idempotencyKeys.renew("k", "p1", 5_000)).toBe(false);
      expect(await store.idempotencyKeys.release("k", "p2")).toBe(true);
      expect((await store.idempotencyKeys.claim("k", "other", "p3", TERMS)).kind).toBe("claimed");
    });

    it("forgets a key after its TTL, and pruning removes it", async () => {
      const { store, clock } = fixture;
      await store.idempotencyKeys.claim("k", "sha", "p1", TERMS);
      await store.idempotencyKeys.complete("k", "p1", ANSWER, 10_000);
      clock.advance(9_999);
      expect((await store.idempotencyKeys.claim("k", "other", "p2", TERMS)).kind).toBe("conflict");
      clock.advance(1);
      expect(await store.pruneExpired()).toMatchObject({ idempotencyKeys: 1 });
      expect((await store.idempotencyKeys.claim("k", "other", "p2", TERMS)).kind).toBe("claimed");
    });

    it("refuses an empty key or holder and a non-positive duration", async () => {
      const { store } = fixture;
      await expect(store.idempotencyKeys.claim("", "sha", "p", TERMS)).rejects.toMatchObject({
        code: "invalid_input",
      });
      await expect(
        store.idempotencyKeys.claim("k", "sha", "p", { ttlMs: 0, leaseMs: 1 }),
      ).rejects.toMatchObject({ code: "invalid_input" });
    });
  });

  describe("sessions", () => {
    const fixture = useStore(locations);

    it("keeps each index's newest write, extends the session on each write, and expires it", async () => {
      const { store, clock } = fixture;
      expect(await store.sessions.get("s")).toBeNull();
      await store.sessions.recordWrite("s", "movies", 5, 1_000);
      await store.sessions.recordWrite("s", "books", 6, 1_000);
      await store.sessions.recordWrite("s", "movies", 3, 1_000);
      clock.advance(900);
      const record = await store.sessions.recordWrite("s", "movies", 9, 1_000);
      expect(record.lastWrites).toEqual({ movies: 9, books: 6 });
      clock.advance(900);
      const reopened = await fixture.restart();
      expect((await reopened.sessions.get("s"))?.lastWrites).toEqual({ movies: 9, books: 6 });
      clock.advance(100);
      expect(await reopened.sessions.get("s")).toBeNull();
      expect(await reopened.pruneExpired()).toMatchObject({ sessions: 1 });
    });

    it("remembers a bounded number of indexes, the most recently written", async () => {
      const { store } = fixture;
      for (let i = 0; i < 70; i++) await store.sessions.recordWrite("s", `i${i}`, i, 60_000);
      const writes = (await store.sessions.get("s"))?.lastWrites ?? {};
      expect(Object.keys(writes)).toHaveLength(64);
      expect(writes.i69).toBe(69);
      expect(writes.i5).toBeUndefined();
    });
  });
}
