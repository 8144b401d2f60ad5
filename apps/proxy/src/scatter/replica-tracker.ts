import type { MiroirConfig } from "@miroir/config";
import type { ReplicaLoad, ReplicaLoads } from "@miroir/router";

/** Answer times kept per node for its p95 (the hedging delay). */
const RECENT_ANSWERS = 64;
/** Answers a node must have given before its p95 is trusted. */
const MIN_ANSWERS_FOR_P95 = 16;

interface NodeRecord extends ReplicaLoad {
  latencyMs: number;
  outstanding: number;
  errorRate: number;
  /** When the smoothed values last moved (ms, monotonic). */
  updatedAt: number;
  readonly recent: number[];
  answers: number;
  p95Ms: number | null;
}

/** How one node call ended, as the tracker counts it. */
export type CallEnd = "answered" | "failed" | "canceled";

/**
 * What this process has seen of each node's read calls: a smoothed answer time and error
 * rate (exponential moving averages with a half-life in time, so a record that is not
 * refreshed still yields to the next sample), the requests in flight, and a window of recent
 * answer times for the p95 that decides when to hedge. Adaptive replica choice reads
 * `loads`; a node with no record costs nothing, so it is tried first.
 */
export interface ReplicaTracker {
  /** Counts a call as in flight; the returned function records how and when it ended. */
  begin(nodeId: string): (end: CallEnd) => void;
  /** What adaptive replica choice reads, or undefined when replicas rotate by `seq`. */
  readonly loads: ReplicaLoads | undefined;
  /** The node's p95 answer time over its recent answers, or null while it has too few. */
  p95(nodeId: string): number | null;
  /** The node's current record (for explain). */
  load(nodeId: string): ReplicaLoad | undefined;
}

export function createReplicaTracker(
  config: MiroirConfig,
  now: () => number = () => performance.now(),
): ReplicaTracker {
  const selection = config.replica_selection;
  const halfLifeMs = selection.ewma_half_life_ms;
  const records = new Map<string, NodeRecord>();
  const adaptive = selection.enabled && selection.strategy === "adaptive";
  const loads: ReplicaLoads | undefined = adaptive
    ? {
        loads: records,
        weights: {
          latency: selection.latency_weight,
          inflight: selection.inflight_weight,
          error: selection.error_weight,
        },
        explorationShare: selection.exploration_epsilon,
      }
    : undefined;

  function recordOf(nodeId: string): NodeRecord {
    let record = records.get(nodeId);
    if (record === undefined) {
      record = {
        latencyMs: 0,
        outstanding: 0,
        errorRate: 0,
        updatedAt: Number.NEGATIVE_INFINITY,
        recent: [],
        answers: 0,
        p95Ms: null,
      };
      records.set(nodeId, record);
    }
    return record;
  }

  function sample(record: NodeRecord, elapsedMs: number, failed: boolean, at: number): void {
    // The first sample, or one after a long silence, replaces the old values outright.
    const weight =
      record.answers === 0 ? 1 : 1 - 2 ** (-(at - record.updatedAt) / Math.max(1, halfLifeMs));
    const alpha = Math.max(weight, 1 / RECENT_ANSWERS);
    record.latencyMs += alpha * (elapsedMs - record.latencyMs);
    record.errorRate += alpha * ((failed ? 1 : 0) - record.errorRate);
    record.updatedAt = at;
    record.answers++;
    if (record.recent.length === RECENT_ANSWERS) record.recent.shift();
    record.recent.push(elapsedMs);
    if (record.answers >= MIN_ANSWERS_FOR_P95 && record.answers % 4 === 0) {
      const sorted = [...record.recent].sort((a, b) => a - b);
      record.p95Ms =
        sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? null;
    }
  }

  return {
    begin(nodeId) {
      const record = recordOf(nodeId);
      record.outstanding++;
      const started = now();
      let ended = false;
      return (end) => {
        if (ended) return;
        ended = true;
        record.outstanding--;
        // A canceled call (its hedge answered first) took at least this long: a lower
        // bound of its answer time, and no error of the node's.
        const at = now();
        sample(record, at - started, end === "failed", at);
      };
    },
    loads,
    p95: (nodeId) => records.get(nodeId)?.p95Ms ?? null,
    load: (nodeId) => records.get(nodeId),
  };
}
