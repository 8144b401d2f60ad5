import type { NodeControl } from "@miroir/testkit";
import { describe, expect, it } from "vitest";
import { eventually } from "../cluster-ops/eventually.js";
import { startProxiedCluster } from "../proxy-cluster.js";
import { ChaosWorkload } from "./chaos-workload.js";
import type { RepairStatusAnswer } from "./replica-state.js";

const HEALTH = { interval_ms: 300, timeout_ms: 250, unhealthy_threshold: 2, recovery_threshold: 1 };
const SHARDS = 8;

/** A fault on node-1 while writes go on, and what ends it. */
const FAULTS = {
  "SIGKILLed, then restarted": {
    start: (control: NodeControl) => control.kill(),
    end: (control: NodeControl) => control.restart(),
    lastsMs: 5_000,
  },
  "SIGSTOPped for 10 s, then resumed": {
    start: async (control: NodeControl) => control.pause(),
    end: async (control: NodeControl) => control.resume(),
    lastsMs: 10_000,
  },
} as const;

describe.each([2, 3])("RF %i over 3 nodes, continuous writes", (rf) => {
  it.each(Object.keys(FAULTS) as (keyof typeof FAULTS)[])(
    "a node %s: every replica ends with exactly the acknowledged state within 60 s, and no read is stale",
    async (faultName) => {
      const fault = FAULTS[faultName];
      const env = await startProxiedCluster(
        { nodes: 3, rf, shards: SHARDS },
        {
          health: HEALTH,
          connection_pool: { request_timeout_ms: 2_000 },
          anti_entropy: { schedule: "every 1h" },
        },
      );
      const control = env.cluster.nodes[1]?.control as NodeControl;
      let faulted = false;
      try {
        const workload = new ChaosWorkload(env);
        await workload.setUp();
        const faultAt = Date.now() + 1_500;
        const endAt = faultAt + fault.lastsMs;
        const stopAt = endAt + 3_000;
        const faultRun = (async () => {
          await new Promise((resolve) => setTimeout(resolve, faultAt - Date.now()));
          await fault.start(control);
          faulted = true;
          await new Promise((resolve) => setTimeout(resolve, endAt - Date.now()));
          await fault.end(control);
          faulted = false;
        })();
        const [acknowledged] = await Promise.all([
          workload.writeUntil(stopAt),
          workload.readUntil(stopAt),
          faultRun,
        ]);
        // The workload ran across the fault (each write waits for its task, so a busy
        // machine acknowledges a dozen at most; what matters is what follows).
        expect(acknowledged).toBeGreaterThanOrEqual(5);
        expect(workload.reads).toBeGreaterThanOrEqual(5);
        await eventually(
          async () =>
            (await (await env.miroir("/_miroir/repair/status")).json()) as RepairStatusAnswer,
          (status) => status.recovering.length === 0,
          60_000,
        );
        const problems = await eventually(
          () => workload.convergenceProblems(SHARDS),
          (found) => found.length === 0,
          10_000,
        ).catch(() => workload.convergenceProblems(SHARDS));
        expect(problems).toEqual([]);
        expect(workload.staleReads).toEqual([]);
      } finally {
        if (faulted) await fault.end(control);
        await env.stop();
      }
    },
    90_000,
  );
});
