import {
  type HealthThresholds,
  type HealthView,
  INITIAL_HEALTH,
  type NodeHealth,
  observeProbe,
  type Topology,
} from "@miroir/router";
import { type DutyRunner, startDuty } from "../duties/background-duty.js";

/** What the health checker knows about one node. */
export interface NodeProbeStatus {
  readonly health: NodeHealth;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  /** When the node last passed a probe (epoch ms), null if never. */
  readonly lastSeen: number | null;
  /** Why the last probe failed, null after a passed probe. */
  readonly lastError: string | null;
}

/** Probes one node; resolves when healthy, rejects with the reason otherwise. */
export type NodeProbe = (address: string, timeoutMs: number) => Promise<void>;

export interface HealthCheckerOptions {
  /** The current fleet; nodes in state `removed` are not probed. */
  readonly topology: () => Topology;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly thresholds: HealthThresholds;
  /** Runs the probes as the `health-probes` duty (every process probes for itself). */
  readonly duties: DutyRunner;
  /** Called with the new view whenever some node's health changed. */
  readonly onChange?: (view: HealthView, changed: { nodeId: string; health: NodeHealth }) => void;
  /** Called after every round with the current view. */
  readonly onRound?: (view: HealthView) => void;
  readonly probe?: NodeProbe;
  readonly now?: () => number;
}

export interface HealthChecker {
  /** Health by node id, for covering sets and write targets. */
  view(): HealthView;
  status(nodeId: string): NodeProbeStatus | undefined;
  /** Probes every node once, now. */
  probeAll(): Promise<void>;
  /** Stops the periodic probes and waits for a running round. */
  stop(): Promise<void>;
}

/** `GET {address}/health`: Meilisearch answers 200 `{"status":"available"}` when it can serve. */
export const httpHealthProbe: NodeProbe = async (address, timeoutMs) => {
  const response = await fetch(new URL("/health", address), {
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.body?.cancel();
  if (response.status !== 200) throw new Error(`GET /health answered ${response.status}`);
};

function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError") return "probe timed out";
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return cause === undefined ? error.message : `${error.message} (${cause})`;
  }
  return String(error);
}

/**
 * Probes every node each `intervalMs` (rounds never overlap), with a per-probe timeout,
 * and turns the results into health with the router's thresholds: `degraded` after a
 * failure, `unreachable` after `unhealthyAfter` failures in a row, healthy again after
 * `healthyAfter` passes in a row. Each change is logged and reported through `onChange`.
 */
export function startHealthChecker(options: HealthCheckerOptions): HealthChecker {
  const probe = options.probe ?? httpHealthProbe;
  const now = options.now ?? Date.now;
  const { logger } = options.duties;
  const statuses = new Map<string, NodeProbeStatus>();
  let view: HealthView = new Map();

  async function probeNode(nodeId: string, address: string): Promise<void> {
    const before = statuses.get(nodeId) ?? { ...INITIAL_HEALTH, lastSeen: null, lastError: null };
    let error: string | null = null;
    try {
      await probe(address, options.timeoutMs);
    } catch (failure) {
      error = reasonOf(failure);
    }
    const record = observeProbe(before, error === null, options.thresholds);
    statuses.set(nodeId, {
      ...record,
      lastSeen: error === null ? now() : before.lastSeen,
      lastError: error,
    });
    if (record.health !== before.health) {
      view = new Map([...statuses].map(([id, status]) => [id, status.health]));
      const log = record.health === "healthy" ? logger.info : logger.warn;
      log.call(
        logger,
        { nodeId, from: before.health, to: record.health, error },
        "node health changed",
      );
      options.onChange?.(view, { nodeId, health: record.health });
    }
  }

  const probes = startDuty(options.duties, {
    name: "health-probes",
    intervalMs: options.intervalMs,
    mode: "everywhere",
    async run() {
      await Promise.all(
        options
          .topology()
          .nodes.filter((node) => node.state !== "removed")
          .map((node) => probeNode(node.id, node.address)),
      );
      options.onRound?.(view);
    },
  });

  return {
    view: () => view,
    status: (nodeId) => statuses.get(nodeId),
    probeAll: probes.runNow,
    stop: probes.stop,
  };
}
