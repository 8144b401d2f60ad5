import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chooseReplica,
  isExploring,
  type ReplicaLoad,
  type ReplicaLoads,
  replicaCost,
} from "./replica-choice.js";

const candidates = fc.uniqueArray(fc.constantFrom("n0", "n1", "n2", "n3", "n4"), {
  minLength: 1,
  maxLength: 5,
});
const load: fc.Arbitrary<ReplicaLoad> = fc.record({
  latencyMs: fc.double({ min: 0.01, max: 5_000, noNaN: true }),
  outstanding: fc.nat(50),
  errorRate: fc.double({ min: 0, max: 1, noNaN: true }),
});
const weights = { latency: 1, inflight: 2, error: 10 };
const loadsOf = (ids: readonly string[]) =>
  fc.record({
    loads: fc
      .array(fc.option(load, { nil: undefined }), { minLength: ids.length, maxLength: ids.length })
      .map(
        (entries) =>
          new Map(
            entries.flatMap((entry, i) => (entry === undefined ? [] : [[ids[i] as string, entry]])),
          ),
      ),
    weights: fc.record({
      latency: fc.double({ min: 0.1, max: 10, noNaN: true }),
      inflight: fc.double({ min: 0, max: 10, noNaN: true }),
      error: fc.double({ min: 0, max: 100, noNaN: true }),
    }),
    explorationShare: fc.integer({ min: 1, max: 50 }).map((every) => 1 / every),
  });
const withLoads = candidates.chain((ids) =>
  fc.record({ ids: fc.constant(ids), loads: loadsOf(ids), seq: fc.nat(1_000_000) }),
);

describe("choosing the replica that answers a read", () => {
  it("always picks one of the candidates, and none when there is none", () => {
    fc.assert(
      fc.property(withLoads, ({ ids, loads, seq }) => {
        expect(ids).toContain(chooseReplica(ids, seq, loads));
        expect(chooseReplica([], seq, loads)).toBeUndefined();
      }),
    );
  });

  it("rotates by seq without loads", () => {
    fc.assert(
      fc.property(candidates, fc.nat(1_000_000), (ids, seq) => {
        expect(chooseReplica(ids, seq)).toBe(ids[seq % ids.length]);
      }),
    );
  });

  it("takes a replica of least cost (latency × weighted load) unless it explores", () => {
    fc.assert(
      fc.property(withLoads, ({ ids, loads, seq }) => {
        fc.pre(!isExploring(seq, loads));
        const chosen = chooseReplica(ids, seq, loads) as string;
        const cheapest = Math.min(
          ...ids.map((id) => replicaCost(loads.loads.get(id), loads.weights)),
        );
        expect(replicaCost(loads.loads.get(chosen), loads.weights)).toBe(cheapest);
      }),
    );
  });

  it("tries a replica with no record (new or recovered) before any replica with a cost", () => {
    fc.assert(
      fc.property(withLoads, ({ ids, loads, seq }) => {
        fc.pre(!isExploring(seq, loads));
        const unknown = ids.filter((id) => !loads.loads.has(id));
        fc.pre(unknown.length > 0);
        expect(unknown).toContain(chooseReplica(ids, seq, loads));
      }),
    );
  });

  it("still sends reads to every replica, however slow its record, within k / share reads", () => {
    fc.assert(
      fc.property(withLoads, ({ ids, loads, seq }) => {
        const chosen = new Set<string>();
        const window = Math.round(1 / loads.explorationShare) * ids.length;
        for (let read = seq; read < seq + window; read++) {
          chosen.add(chooseReplica(ids, read, loads) as string);
        }
        expect([...chosen].sort()).toEqual([...ids].sort());
      }),
    );
  });

  it("shares reads among equally loaded replicas as the rotation does", () => {
    fc.assert(
      fc.property(candidates, load, fc.nat(1_000_000), (ids, same, seq) => {
        const loads: ReplicaLoads = {
          loads: new Map(ids.map((id) => [id, same])),
          weights,
          explorationShare: 0,
        };
        expect(chooseReplica(ids, seq, loads)).toBe(ids[seq % ids.length]);
      }),
    );
  });

  it("explores nowhere at a share of 0", () => {
    fc.assert(
      fc.property(withLoads, ({ loads, seq }) => {
        expect(isExploring(seq, { ...loads, explorationShare: 0 })).toBe(false);
      }),
    );
  });

  it("counts errors and requests in flight against a replica, in multiples of its latency", () => {
    const base = { latencyMs: 10, outstanding: 0, errorRate: 0 };
    expect(replicaCost(base, weights)).toBe(10);
    expect(replicaCost({ ...base, outstanding: 2 }, weights)).toBe(50);
    expect(replicaCost({ ...base, errorRate: 0.5 }, weights)).toBe(60);
    expect(replicaCost(undefined, weights)).toBe(0);
  });

  it("moves reads away from a replica that became slow and back once it recovers", () => {
    const ids = ["fast", "slow"];
    const slow: ReplicaLoads = {
      loads: new Map([
        ["fast", { latencyMs: 2, outstanding: 0, errorRate: 0 }],
        ["slow", { latencyMs: 400, outstanding: 3, errorRate: 0 }],
      ]),
      weights,
      explorationShare: 0.05,
    };
    const picks = Array.from({ length: 100 }, (_, seq) => chooseReplica(ids, seq + 1, slow));
    const toSlow = picks.filter((id) => id === "slow").length;
    expect(toSlow).toBeGreaterThan(0);
    expect(toSlow).toBeLessThanOrEqual(100 / 20);
    const recovered: ReplicaLoads = {
      ...slow,
      loads: new Map([...slow.loads, ["slow", { latencyMs: 1, outstanding: 0, errorRate: 0 }]]),
    };
    expect(chooseReplica(ids, 1, recovered)).toBe("slow");
  });
});
