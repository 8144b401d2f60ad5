import { type BalanceReport, measureBalance } from "./balance.js";
import {
  type RandomFailureReport,
  simulateRandomFailures,
  simulateZoneFailures,
  type ZoneFailureReport,
} from "./failures.js";
import { type FanOutReport, searchFanOut } from "./fan-out.js";
import { createFleet, type FleetSpec, FleetSpecError } from "./fleet.js";
import { type MovementReport, simulateNodeAddition, simulateNodeRemoval } from "./movement.js";
import { seededRandom } from "./random.js";

export interface SimulationOptions {
  /** Random new node ids for the addition, and failure draws per failure count. */
  readonly trials: number;
  /** Numbers of nodes failing at random at once, one scenario each. */
  readonly failures: readonly number[];
  /** Searches simulated for the fan-out. */
  readonly queries: number;
  /** Primary-key filter sizes for the pinned fan-out. */
  readonly pinnedKeys: readonly number[];
  /** Plan one addition and one removal with the router's `planMove` too. */
  readonly withPlans: boolean;
}

export const DEFAULT_SIMULATION_OPTIONS: SimulationOptions = {
  trials: 200,
  failures: [1, 2, 3],
  queries: 64,
  pinnedKeys: [1, 10, 100],
  withPlans: true,
};

/** Everything the simulator reports about one fleet. */
export interface SimulationReport {
  readonly spec: Required<FleetSpec>;
  /** Nodes in each replica group. */
  readonly groupSizes: readonly number[];
  readonly options: SimulationOptions;
  readonly balance: BalanceReport;
  /** One node added to group 0. */
  readonly addition: MovementReport;
  /** One node of group 0 drained and removed. */
  readonly removal: MovementReport;
  readonly randomFailures: readonly RandomFailureReport[];
  readonly zoneFailures: readonly ZoneFailureReport[];
  readonly fanOut: FanOutReport;
}

/**
 * Simulates one fleet end to end. Deterministic: the same spec and options give the same
 * report, since every draw comes from generators seeded by `spec.seed`.
 */
export function simulateFleet(
  spec: FleetSpec,
  options: SimulationOptions = DEFAULT_SIMULATION_OPTIONS,
): SimulationReport {
  const fleet = createFleet(spec);
  for (const failed of options.failures) {
    if (!(Number.isInteger(failed) && failed >= 0 && failed <= fleet.topology.nodes.length)) {
      throw new FleetSpecError(
        `A failure scenario must fail from 0 to ${fleet.topology.nodes.length} nodes, got ${failed}.`,
      );
    }
  }
  if (!(Number.isInteger(options.trials) && options.trials >= 1)) {
    throw new FleetSpecError(`\`trials\` must be an integer ≥ 1, got ${options.trials}.`);
  }
  // A stream per question, so that asking one more question never changes another's answer.
  const streams = (salt: number) =>
    seededRandom((fleet.spec.seed ^ Math.imul(salt, 0x9e3779b1)) >>> 0);
  return {
    spec: fleet.spec,
    groupSizes: fleet.groups.map((ids) => ids.length),
    options,
    balance: measureBalance(fleet),
    addition: simulateNodeAddition(fleet, {
      group: 0,
      trials: options.trials,
      random: streams(1),
      withPlan: options.withPlans,
    }),
    removal: simulateNodeRemoval(fleet, { group: 0, withPlan: options.withPlans }),
    randomFailures: options.failures.map((failedNodes, i) =>
      simulateRandomFailures(fleet, {
        failedNodes,
        trials: options.trials,
        random: streams(100 + i),
      }),
    ),
    zoneFailures: simulateZoneFailures(fleet),
    fanOut: searchFanOut(fleet, {
      queries: options.queries,
      pinnedKeys: options.pinnedKeys,
      random: streams(2),
    }),
  };
}
