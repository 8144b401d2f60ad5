export {
  type HealthChecker,
  type HealthCheckerOptions,
  httpHealthProbe,
  type NodeProbe,
  type NodeProbeStatus,
  startHealthChecker,
} from "./health-checker.js";
