export type { Migration, MigrationPhase, MovePhase, MoveProgress } from "./migration.js";
export { planMigration } from "./migration.js";
export { startRebalanceChecks } from "./rebalance-checks.js";
export {
  createRebalancer,
  type MigrationView,
  REBALANCE_JOB,
  type Rebalancer,
  type RebalanceStatus,
} from "./rebalancer.js";
