/**
 * A node's health as the health checker sees it, independent of its lifecycle state:
 * `healthy` answers probes; `degraded` has failed recent probes but fewer than the
 * unhealthy threshold (still used when no healthy replica exists); `unreachable` has
 * failed `unhealthyAfter` probes in a row and gets no reads until it has passed
 * `healthyAfter` probes in a row.
 */
export type NodeHealth = "healthy" | "degraded" | "unreachable";

/** Health by node id, as the health checker publishes it. A missing id counts as healthy. */
export type HealthView = ReadonlyMap<string, NodeHealth>;

export interface HealthThresholds {
  /** Consecutive failed probes that make a node unreachable (≥ 1). */
  readonly unhealthyAfter: number;
  /** Consecutive passed probes that make an unreachable node healthy again (≥ 1). */
  readonly healthyAfter: number;
}

export interface HealthRecord {
  readonly health: NodeHealth;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
}

export const INITIAL_HEALTH: HealthRecord = {
  health: "healthy",
  consecutiveFailures: 0,
  consecutiveSuccesses: 0,
};

/** The health record after one probe. */
export function observeProbe(
  record: HealthRecord,
  passed: boolean,
  thresholds: HealthThresholds,
): HealthRecord {
  if (passed) {
    const consecutiveSuccesses = record.consecutiveSuccesses + 1;
    const recovered =
      record.health !== "unreachable" || consecutiveSuccesses >= thresholds.healthyAfter;
    return {
      health: recovered ? "healthy" : "unreachable",
      consecutiveFailures: 0,
      consecutiveSuccesses,
    };
  }
  const consecutiveFailures = record.consecutiveFailures + 1;
  const unreachable =
    record.health === "unreachable" || consecutiveFailures >= thresholds.unhealthyAfter;
  return {
    health: unreachable ? "unreachable" : "degraded",
    consecutiveFailures,
    consecutiveSuccesses: 0,
  };
}

export function healthOf(view: HealthView, nodeId: string): NodeHealth {
  return view.get(nodeId) ?? "healthy";
}
