export {
  type BalanceReport,
  expectedMaxOverMean,
  type LoadSpread,
  measureBalance,
  shardsForImbalance,
} from "./balance.js";
export {
  binomialPmf,
  binomialUpperTails,
  hypergeometricPmf,
  logChoose,
  logFactorial,
} from "./distributions.js";
export {
  expectedRandomFailureImpact,
  expectedZoneFailureImpact,
  type FailureImpact,
  failureImpact,
  type RandomFailureReport,
  simulateRandomFailures,
  simulateZoneFailures,
  type TrialFigure,
  writeQuorum,
  type ZoneFailureReport,
} from "./failures.js";
export { type FanOutOptions, type FanOutReport, searchFanOut } from "./fan-out.js";
export {
  checkFleetSpec,
  createFleet,
  type Fleet,
  type FleetSpec,
  FleetSpecError,
  freshNodeId,
  MAX_SIMULATED_NODES,
  type ZoneLayout,
} from "./fleet.js";
export {
  type AdditionOptions,
  type MoveExample,
  type MovementReport,
  movedByPlan,
  type RemovalOptions,
  simulateNodeAddition,
  simulateNodeRemoval,
} from "./movement.js";
export { type Random, seededRandom } from "./random.js";
export { HASHED_DOCUMENTS_LIMIT, shardDocuments } from "./shard-documents.js";
export {
  DEFAULT_SIMULATION_OPTIONS,
  type SimulationOptions,
  type SimulationReport,
  simulateFleet,
} from "./simulate-fleet.js";
