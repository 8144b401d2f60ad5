import { type MeiliError, meiliError } from "@miroir/errors";
import type { JobRecord, TaskStore } from "@miroir/taskstore";
import { type DutyRunner, startDuty } from "../duties/background-duty.js";
import { openJobs } from "../duties/open-jobs.js";
import { RESHARD_JOB, type ReshardParams, type ReshardProgress } from "./reshard-state.js";

/** A reshard in progress, as every process sees it. */
export interface ActiveReshard {
  /** The name clients use (the index uid, or the alias to it). */
  readonly name: string;
  /** The index being resharded. */
  readonly source: string;
  readonly phase: ReshardProgress["phase"];
}

/** What the write gate answers for one request. */
export type GateAnswer = null | { readonly hold: Promise<void> } | { readonly refuse: MeiliError };

/**
 * This process's view of the reshards in progress, followed from the task store: which
 * index names are being resharded and which are switching. The gate holds the writes to a
 * switching index until its name points at the new index, and refuses the changes a
 * reshard cannot carry over (settings, primary key, deletion) until the switch.
 */
export interface ReshardTable {
  /** Whether any reshard is in progress (requests skip the gate altogether when none is). */
  readonly empty: boolean;
  list(): readonly ActiveReshard[];
  /** Takes a change made here at once, ahead of the next read of the store. */
  apply(reshard: ActiveReshard): void;
  refresh(): Promise<void>;
  gate(method: string, path: string): GateAnswer;
}

/** How long a write waits for a switch before it is refused. */
const HOLD_LIMIT_MS = 60_000;
const INDEX_PATH = /^\/indexes\/([^/]+)(\/.*)?$/;
/** Index routes that read, whatever their method. */
const READS = new Set(["/search", "/facet-search", "/similar", "/documents/fetch"]);

export function createReshardTable(
  store: TaskStore,
  options: {
    /** Called before a switched reshard is let go, so writes go to the new index. */
    readonly beforeRelease: () => Promise<void>;
  },
): ReshardTable {
  let active = new Map<string, ActiveReshard>();
  let changesApplied = 0;
  const waiters = new Set<() => void>();

  function isActive(phase: ReshardProgress["phase"]): boolean {
    return phase !== "switched" && phase !== "done" && phase !== "canceled" && phase !== "failed";
  }

  async function install(next: Map<string, ActiveReshard>): Promise<void> {
    const released = [...active.values()].some(
      (reshard) => reshard.phase === "switching" && next.get(reshard.name)?.phase !== "switching",
    );
    if (released) await options.beforeRelease();
    active = next;
    for (const wake of waiters) wake();
  }

  function switching(name: string): boolean {
    const reshard = active.get(name);
    if (reshard !== undefined) return reshard.phase === "switching";
    for (const other of active.values()) {
      if (other.source === name && other.phase === "switching") return true;
    }
    return false;
  }

  async function held(name: string): Promise<void> {
    const deadline = Date.now() + HOLD_LIMIT_MS;
    while (switching(name)) {
      if (Date.now() >= deadline) {
        throw meiliError(
          "miroir_resharding_in_progress",
          `Index \`${name}\` is switching to its resharded copy; the write was held ${HOLD_LIMIT_MS / 1000} s and not applied. Send it again.`,
        );
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 50);
        waiters.add(wake);
      });
    }
  }

  return {
    get empty() {
      return active.size === 0;
    },
    list: () => [...active.values()],
    apply(reshard) {
      changesApplied += 1;
      const next = new Map(active);
      if (isActive(reshard.phase)) next.set(reshard.name, reshard);
      else next.delete(reshard.name);
      void install(next);
    },
    async refresh() {
      const before = changesApplied;
      const jobs = await openJobs(store, { type: RESHARD_JOB });
      if (changesApplied !== before) return;
      await install(new Map(jobs.flatMap(activeOf).map((reshard) => [reshard.name, reshard])));
    },
    gate(method, path) {
      if (active.size === 0) return null;
      const match = INDEX_PATH.exec(path);
      if (match === null) return null;
      const name = decodeURIComponent(match[1] as string);
      const rest = match[2] ?? "";
      let reshard = active.get(name);
      if (reshard === undefined) {
        reshard = [...active.values()].find((other) => other.source === name);
      }
      if (reshard === undefined || method === "GET" || READS.has(rest)) return null;
      const structural =
        rest.startsWith("/settings") ||
        (rest === "" && (method === "PATCH" || method === "DELETE"));
      if (structural) {
        return {
          refuse: meiliError(
            "miroir_resharding_in_progress",
            `Index \`${name}\` is being resharded: its settings, primary key and deletion wait until the reshard switches or is canceled (GET /_miroir/indexes/${name}/reshard).`,
          ),
        };
      }
      return switching(name) ? { hold: held(name) } : null;
    },
  };
}

function activeOf(job: JobRecord): ActiveReshard[] {
  const params = job.params as ReshardParams;
  const phase = (job.progress as ReshardProgress | null)?.phase ?? "queued";
  if (phase === "switched" || phase === "done" || phase === "canceled" || phase === "failed") {
    return [];
  }
  return [{ name: params.name, source: params.source, phase }];
}

/** Keeps this process's view of the reshards equal to the store's within one interval. */
export function startReshardFollower(options: {
  readonly table: ReshardTable;
  readonly intervalMs: number;
  readonly duties: DutyRunner;
}): { stop(): Promise<void> } {
  const reads = startDuty(options.duties, {
    name: "reshard-follower",
    intervalMs: options.intervalMs,
    mode: "everywhere",
    jitter: 0.1,
    run: () => options.table.refresh(),
  });
  return { stop: reads.stop };
}
