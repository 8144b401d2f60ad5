import { describe, expect, it } from "vitest";
import { type HealthRecord, healthOf, INITIAL_HEALTH, observeProbe } from "./node-health.js";

const thresholds = { unhealthyAfter: 3, healthyAfter: 2 };

function run(probes: boolean[], start: HealthRecord = INITIAL_HEALTH) {
  return probes.reduce((record, passed) => observeProbe(record, passed, thresholds), start);
}

describe("node health", () => {
  it("degrades on a failed probe and becomes unreachable after the unhealthy threshold", () => {
    expect(run([false]).health).toBe("degraded");
    expect(run([false, false]).health).toBe("degraded");
    expect(run([false, false, false]).health).toBe("unreachable");
  });

  it("recovers a degraded node on the next passed probe", () => {
    expect(run([false, false, true]).health).toBe("healthy");
  });

  it("keeps an unreachable node out until the recovery threshold of passed probes", () => {
    const down = run([false, false, false]);
    expect(run([true], down).health).toBe("unreachable");
    expect(run([true, true], down).health).toBe("healthy");
    expect(run([true, false, true], down).health).toBe("unreachable");
  });

  it("reads a node absent from the health view as healthy", () => {
    expect(healthOf(new Map([["a", "degraded"]]), "a")).toBe("degraded");
    expect(healthOf(new Map(), "b")).toBe("healthy");
  });
});
