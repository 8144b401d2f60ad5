import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LeaseRecord } from "../../src/index.js";
import type { StoreLocationFactory } from "../store-locations.js";
import { useStore } from "./store-fixture.js";

export function coordinationContract(locations: StoreLocationFactory): void {
  describe("leases", () => {
    const fixture = useStore(locations);

    it("grants a free lease to one holder and refuses another until it expires", async () => {
      const { store, clock } = fixture;
      const lease = await store.leases.acquire("rebalance", "pod-a", 10_000);
      expect(lease).toEqual({
        scope: "rebalance",
        holder: "pod-a",
        expiresAt: clock.time + 10_000,
        token: expect.any(Number),
      });
      expect(await store.leases.acquire("rebalance", "pod-b", 10_000)).toBeNull();
      expect(await store.leases.get("rebalance")).toEqual(lease);
      clock.advance(10_000);
      expect(await store.leases.get("rebalance")).toBeNull();
      expect(await store.leases.renew("rebalance", "pod-a", 10_000)).toBeNull();
      const takeover = await store.leases.acquire("rebalance", "pod-b", 5_000);
      expect(takeover).toEqual({
        scope: "rebalance",
        holder: "pod-b",
        expiresAt: clock.time + 5_000,
        token: expect.any(Number),
      });
      expect(takeover?.token).toBeGreaterThan(lease?.token ?? Number.POSITIVE_INFINITY);
      expect(await store.leases.release("rebalance", "pod-a")).toBe(false);
      expect(await store.leases.get("rebalance")).toEqual(takeover);
    });

    it("lets the holder renew and re-acquire, and release for the next holder", async () => {
      const { store, clock } = fixture;
      const first = await store.leases.acquire("ilm", "pod-a", 1_000);
      clock.advance(900);
      expect(await store.leases.renew("ilm", "pod-a", 1_000)).toEqual({
        scope: "ilm",
        holder: "pod-a",
        expiresAt: clock.time + 1_000,
        token: first?.token,
      });
      clock.advance(900);
      expect(await store.leases.acquire("ilm", "pod-b", 1_000)).toBeNull();
      expect((await store.leases.acquire("ilm", "pod-a", 2_000))?.expiresAt).toBe(
        clock.time + 2_000,
      );
      expect(await store.leases.renew("ilm", "pod-b", 1_000)).toBeNull();
      expect(await store.leases.release("ilm", "pod-a")).toBe(true);
      expect(await store.leases.get("ilm")).toBeNull();
      expect((await store.leases.acquire("ilm", "pod-b", 1_000))?.holder).toBe("pod-b");
    });

    it("gives a contested lease to exactly one of two stores", async () => {
      const other = await fixture.openAnother();
      const attempts = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? fixture.store : other).leases.acquire("leader", `pod-${i}`, 10_000),
        ),
      );
      expect(attempts.filter((lease) => lease !== null)).toHaveLength(1);
    });

    it("keeps the token across renewals and gives every later tenure a greater one", async () => {
      const { store, clock } = fixture;
      const a = await store.leases.acquire("leader", "pod-a", 1_000);
      expect(a?.token).toBeGreaterThan(0);
      expect((await store.leases.acquire("leader", "pod-a", 1_000))?.token).toBe(a?.token);
      expect((await store.leases.renew("leader", "pod-a", 1_000))?.token).toBe(a?.token);
      clock.advance(1_000);
      const b = await store.leases.acquire("leader", "pod-b", 1_000);
      expect(b?.token).toBeGreaterThan(a?.token ?? 0);
      expect(await store.leases.release("leader", "pod-b")).toBe(true);
      // The same holder taking the lease again after it lapsed is a new tenure too.
      const again = await store.leases.acquire("leader", "pod-b", 1_000);
      expect(again?.token).toBeGreaterThan(b?.token ?? 0);
    });

    it("acts in the name of a lease only while its tenure is live", async () => {
      const { store, clock } = fixture;
      const a = (await store.leases.acquire("leader", "pod-a", 1_000)) as LeaseRecord;
      const acted: string[] = [];
      expect(await store.leases.fenced(a, async () => acted.push("a") && "done")).toBe("done");
      expect(await store.leases.holds(a)).toBe(true);
      clock.advance(1_000);
      // Expired and not yet taken: nobody may act, not even the former holder.
      await expect(store.leases.fenced(a, async () => acted.push("late"))).rejects.toMatchObject({
        code: "stale_lease",
      });
      const b = (await store.leases.acquire("leader", "pod-b", 1_000)) as LeaseRecord;
      await expect(store.leases.fenced(a, async () => acted.push("stale"))).rejects.toMatchObject({
        code: "stale_lease",
      });
      await store.leases.fenced(b, async () => acted.push("b"));
      // A former holder renewing after the lapse is refused, and keeps being fenced out.
      expect(await store.leases.renew("leader", "pod-a", 1_000)).toBeNull();
      expect(await store.leases.holds(a)).toBe(false);
      expect(acted).toEqual(["a", "b"]);
    });

    it("hands out strictly increasing tokens, one live tenure at a time (property)", async () => {
      const { store, clock } = fixture;
      const step = fc.oneof(
        fc.record({ op: fc.constantFrom("acquire", "renew", "release"), who: fc.nat(2) }),
        fc.record({ op: fc.constant("advance"), ms: fc.integer({ min: 1, max: 1_500 }) }),
      );
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
          const scope = `prop-${run++}`;
          let highest = 0;
          const tenureOf = new Map<string, number>();
          for (const s of steps) {
            if (s.op === "advance") {
              clock.advance(s.ms);
              continue;
            }
            const who = `pod-${s.who}`;
            if (s.op === "release") {
              await store.leases.release(scope, who);
              continue;
            }
            const lease = await store.leases[s.op](scope, who, 1_000);
            if (lease === null) continue;
            const known = tenureOf.get(who);
            if (known !== undefined && known === lease.token) continue;
            // A new tenure: its token beats every earlier one.
            expect(lease.token).toBeGreaterThan(highest);
            highest = lease.token;
            tenureOf.clear();
            tenureOf.set(who, lease.token);
          }
        }),
        { numRuns: 30 },
      );
    });

    it("refuses a lease without scope, holder or positive ttl", async () => {
      for (const attempt of [
        fixture.store.leases.acquire("", "a", 1),
        fixture.store.leases.acquire("s", "", 1),
        fixture.store.leases.renew("s", "a", 0),
        fixture.store.leases.release("s", ""),
      ]) {
        await expect(attempt).rejects.toMatchObject({ code: "invalid_input" });
      }
    });
  });

  describe("jobs", () => {
    const fixture = useStore(locations);

    it("claims queued jobs oldest first, one claimant each", async () => {
      const { store, clock } = fixture;
      const first = await store.jobs.enqueue({ type: "dump_import", params: { file: "a" } });
      const second = await store.jobs.enqueue({ type: "reshard_backfill", id: "job-2" });
      expect(first).toMatchObject({ state: "queued", attempts: 0, claimedBy: null });
      expect(second.id).toBe("job-2");
      expect(await store.jobs.queuedCount()).toBe(2);
      const claimed = await store.jobs.claim("pod-a", 30_000);
      expect(claimed).toMatchObject({
        id: first.id,
        state: "in_progress",
        claimedBy: "pod-a",
        claimExpiresAt: clock.time + 30_000,
        attempts: 1,
        params: { file: "a" },
      });
      expect((await store.jobs.claim("pod-b", 30_000))?.id).toBe("job-2");
      expect(await store.jobs.claim("pod-c", 30_000)).toBeNull();
      expect(await store.jobs.queuedCount()).toBe(0);
      expect((await store.jobs.list("in_progress")).map((job) => job.id)).toEqual([
        first.id,
        "job-2",
      ]);
    });

    it("removes a job unless it is in progress", async () => {
      const { store } = fixture;
      await store.jobs.enqueue({ type: "pass", id: "a" });
      await store.jobs.enqueue({ type: "pass", id: "b" });
      await store.jobs.claim("pod", 1_000);
      expect(await store.jobs.remove("a")).toBe(false);
      expect(await store.jobs.remove("b")).toBe(true);
      expect(await store.jobs.remove("b")).toBe(false);
      expect(await store.jobs.complete("a", "pod")).toBe(true);
      expect(await store.jobs.remove("a")).toBe(true);
      expect(await store.jobs.list()).toEqual([]);
    });

    it("claims only the job types asked for", async () => {
      const { store } = fixture;
      await store.jobs.enqueue({ type: "dump_import", id: "d" });
      await store.jobs.enqueue({ type: "reshard_backfill", id: "r" });
      expect((await store.jobs.claim("pod", 1_000, { types: ["reshard_backfill"] }))?.id).toBe("r");
      expect(await store.jobs.claim("pod", 1_000, { types: ["ttl_sweep"] })).toBeNull();
    });

    it("extends a live claim on heartbeat and records progress, then completes", async () => {
      const { store, clock } = fixture;
      const job = await store.jobs.enqueue({ type: "dump_import" });
      await store.jobs.claim("pod-a", 1_000);
      clock.advance(900);
      expect(await store.jobs.heartbeat(job.id, "pod-a", 1_000, { docs: 10 })).toBe(true);
      expect(await store.jobs.heartbeat(job.id, "pod-b", 1_000)).toBe(false);
      clock.advance(900);
      expect(await store.jobs.reclaimExpired()).toEqual([]);
      expect(await store.jobs.complete(job.id, "pod-a")).toBe(true);
      expect(await store.jobs.get(job.id)).toMatchObject({
        state: "completed",
        claimedBy: null,
        claimExpiresAt: null,
        progress: { docs: 10 },
      });
      expect(await store.jobs.complete(job.id, "pod-a")).toBe(false);
    });

    it("records a failure with its reason", async () => {
      const { store } = fixture;
      const job = await store.jobs.enqueue({ type: "dump_import" });
      await store.jobs.claim("pod-a", 1_000);
      expect(await store.jobs.fail(job.id, "pod-b", "not mine")).toBe(false);
      expect(await store.jobs.fail(job.id, "pod-a", "dump is truncated")).toBe(true);
      expect(await store.jobs.get(job.id)).toMatchObject({
        state: "failed",
        error: "dump is truncated",
      });
      expect((await store.jobs.list("failed")).map((failed) => failed.id)).toEqual([job.id]);
    });

    it("reclaims a job whose claim expired and refuses the late holder", async () => {
      const { store, clock } = fixture;
      const job = await store.jobs.enqueue({ type: "reshard_backfill" });
      await store.jobs.claim("pod-a", 1_000);
      clock.advance(1_000);
      expect(await store.jobs.heartbeat(job.id, "pod-a", 1_000)).toBe(false);
      expect(await store.jobs.complete(job.id, "pod-a")).toBe(false);
      expect(await store.jobs.reclaimExpired()).toEqual([job.id]);
      expect(await store.jobs.get(job.id)).toMatchObject({ state: "queued", claimedBy: null });
      const again = await store.jobs.claim("pod-b", 1_000);
      expect(again).toMatchObject({ id: job.id, claimedBy: "pod-b", attempts: 2 });
      expect(await store.jobs.complete(job.id, "pod-b")).toBe(true);
    });

    it("hands one queued job to only one of two competing stores", async () => {
      const other = await fixture.openAnother();
      await fixture.store.jobs.enqueue({ type: "dump_import", id: "only" });
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 === 0 ? fixture.store : other).jobs.claim(`pod-${i}`, 10_000),
        ),
      );
      expect(claims.filter((claim) => claim !== null)).toHaveLength(1);
    });

    it("refuses duplicate ids and jobs without a type", async () => {
      const { store } = fixture;
      await store.jobs.enqueue({ type: "dump_import", id: "same" });
      await expect(store.jobs.enqueue({ type: "dump_import", id: "same" })).rejects.toMatchObject({
        code: "invalid_input",
      });
      await expect(store.jobs.enqueue({ type: "" })).rejects.toMatchObject({
        code: "invalid_input",
      });
      await expect(store.jobs.claim("", 1)).rejects.toMatchObject({ code: "invalid_input" });
      expect((await store.jobs.list()).map((job) => job.id)).toEqual(["same"]);
    });

    it("keeps jobs across a restart", async () => {
      const job = await fixture.store.jobs.enqueue({ type: "dump_import", params: [1, 2] });
      const reopened = await fixture.restart();
      expect(await reopened.jobs.get(job.id)).toEqual(job);
      expect(await reopened.jobs.get("missing")).toBeNull();
    });
  });

  describe("members", () => {
    const fixture = useStore(locations);

    it("lists the processes that beat within their ttl, oldest first", async () => {
      const { store, clock } = fixture;
      const base = { address: "http://a:7700", version: "1.0.0", duties: ["task-poller"] };
      await store.members.heartbeat({ ...base, id: "b", startedAt: clock.time + 1 }, 1_000);
      await store.members.heartbeat({ ...base, id: "a", startedAt: clock.time }, 1_000);
      expect((await store.members.list()).map((m) => m.id)).toEqual(["a", "b"]);
      expect((await store.members.list())[0]).toEqual({
        ...base,
        id: "a",
        startedAt: clock.time,
        lastSeenAt: clock.time,
        expiresAt: clock.time + 1_000,
      });
      clock.advance(600);
      await store.members.heartbeat({ ...base, id: "a", startedAt: clock.time - 600 }, 1_000);
      clock.advance(600);
      expect((await store.members.list()).map((m) => m.id)).toEqual(["a"]);
      expect(await store.members.remove("a")).toBe(true);
      expect(await store.members.list()).toEqual([]);
      await expect(
        store.members.heartbeat({ ...base, id: "", startedAt: 0 }, 1),
      ).rejects.toMatchObject({ code: "invalid_input" });
    });
  });

  describe("expiry", () => {
    const fixture = useStore(locations);

    it("prunes expired leases, and only those", async () => {
      const { store, clock } = fixture;
      await store.leases.acquire("old", "pod", 100);
      await store.leases.acquire("new", "pod", 10_000);
      expect(await store.pruneExpired()).toMatchObject({ leases: 0 });
      clock.advance(100);
      expect(await store.pruneExpired()).toMatchObject({ leases: 1 });
      expect(await store.leases.get("new")).not.toBeNull();
      expect(await store.pruneExpired()).toMatchObject({ leases: 0 });
    });
  });
}
