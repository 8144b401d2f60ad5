import { requireCount, requireTime } from "../input-checks.js";
import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, optionalJson, text, toJson } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** One run of a canary. */
export interface CanaryRunRecord {
  readonly canaryId: string;
  readonly ranAt: EpochMs;
  readonly status: "pass" | "fail" | "error";
  readonly latencyMs: number;
  readonly failedAssertions: readonly unknown[] | null;
}

export interface CanaryRuns {
  /** Records a run and keeps only the `keep` newest runs of that canary (default 100). */
  record(run: CanaryRunRecord, keep?: number): Promise<void>;
  /** Runs of one canary, newest first. */
  list(canaryId: string): Promise<CanaryRunRecord[]>;
}

const DEFAULT_RUN_HISTORY = 100;

export function canaryRuns(rows: RowStore): CanaryRuns {
  const table = TABLES.canaryRuns;

  async function list(canaryId: string): Promise<CanaryRunRecord[]> {
    return (await rows.list(table, canaryId)).map(fromRow).sort((a, b) => b.ranAt - a.ranAt);
  }

  return {
    async record(run, keep = DEFAULT_RUN_HISTORY) {
      if (run.canaryId === "") throw invalidInput("A canary run needs its canary id.");
      if (!["pass", "fail", "error"].includes(run.status)) {
        throw invalidInput(`A canary run's status is pass, fail or error, got "${run.status}".`);
      }
      requireTime(run.ranAt, "ranAt");
      requireCount(run.latencyMs, "latencyMs");
      requireCount(keep, "keep");
      await rows.put(table, {
        canary_id: run.canaryId,
        ran_at: run.ranAt,
        status: run.status,
        latency_ms: run.latencyMs,
        failed_assertions_json: run.failedAssertions === null ? null : toJson(run.failedAssertions),
      });
      const surplus = (await list(run.canaryId)).slice(keep);
      await rows.deleteMany(
        table,
        surplus.map((old) => [old.canaryId, old.ranAt]),
      );
    },
    list,
  };
}

function fromRow(row: Row): CanaryRunRecord {
  return {
    canaryId: text(row, "canary_id"),
    ranAt: integer(row, "ran_at"),
    status: text(row, "status") as CanaryRunRecord["status"],
    latencyMs: integer(row, "latency_ms"),
    failedAssertions: optionalJson(row, "failed_assertions_json"),
  };
}
