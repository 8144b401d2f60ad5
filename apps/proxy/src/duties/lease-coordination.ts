import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { LeaseRecord, ProxyMember, TaskStore } from "@miroir/taskstore";
import type { Logger } from "pino";
import {
  type DutyCoordination,
  type DutyMode,
  type DutyRun,
  EVERYTHING,
  StaleLeaseError,
} from "./background-duty.js";

/** Scope of the lease whose holder runs the `leader` duties. */
export const LEADER_SCOPE = "leader";
/** Items of `partitioned` duties hash into this many partitions, each with its own lease. */
export const PARTITIONS = 16;

export interface ProcessIdentity {
  /** Unique per process start. */
  readonly id: string;
  readonly version: string;
  readonly startedAt: number;
}

export interface LeaseCoordinationOptions {
  readonly store: TaskStore;
  readonly identity: ProcessIdentity;
  /** Where clients reach this process; known once it listens. */
  readonly address: () => string;
  readonly leaseTtlMs: number;
  /** Heartbeat and lease renewal period; below `leaseTtlMs`. */
  readonly renewIntervalMs: number;
  readonly logger: Logger;
  /**
   * The process is alone on its store (`leader_election` disabled): it only beats, and
   * leads and owns everything without leases.
   */
  readonly alone?: boolean;
  /** Told when this process becomes or stops being the leader. */
  readonly onLeadership?: (leader: boolean) => void;
}

/** What `GET /_miroir/proxies` shows of this process's part. */
export interface CoordinationView {
  readonly leader: boolean;
  readonly leaderToken: number | null;
  /** Partitions of the `partitioned` duties this process holds. */
  readonly partitions: readonly number[];
  /** The duties this process runs now, by name. */
  readonly duties: readonly string[];
}

export interface ProcessCoordination extends DutyCoordination {
  readonly identity: ProcessIdentity;
  /** One round: heartbeat, leader lease, partition leases. Runs every renewal period. */
  tick(): Promise<void>;
  view(): CoordinationView;
  /** Stops the rounds and gives every lease up (the next holders need not wait). */
  stop(): Promise<void>;
}

interface Held {
  readonly lease: LeaseRecord;
  /** Monotonic time past which this process no longer trusts the lease (ttl minus a margin). */
  readonly trustedUntil: number;
}

/**
 * Coordination over the shared task store. Each process beats in the membership table; the
 * holder of the `leader` lease runs the `leader` duties; the items of `partitioned` duties
 * hash into {@link PARTITIONS} partitions, each preferred by one live process (rendezvous
 * hashing over the members) and held through a lease of its own, so an item is handled by
 * one process at a time and taken over once its holder stops beating and its lease lapses.
 *
 * A lease is trusted locally only until a margin before its expiry, measured on the
 * monotonic clock, which keeps running while a process is paused: a process woken after
 * its lease lapsed stops at once. Writes in the name of a lease also check its fencing
 * token in the store (`DutyRun.fenced`).
 */
export function createLeaseCoordination(options: LeaseCoordinationOptions): ProcessCoordination {
  const { store, identity, logger, leaseTtlMs } = options;
  const margin = Math.min(leaseTtlMs / 5, 2_000);
  const duties = new Map<string, DutyMode>();
  let leader: Held | null = null;
  const partitions = new Map<number, Held>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let ticking: Promise<void> | undefined;

  const live = (held: Held | null | undefined): held is Held =>
    held !== null && held !== undefined && performance.now() < held.trustedUntil;

  function setLeader(next: Held | null): void {
    const was = leader !== null;
    leader = next;
    if (was !== (next !== null)) {
      if (next === null) logger.warn({ process: identity.id }, "leader lease lost; stepped down");
      else logger.info({ process: identity.id, token: next.lease.token }, "leader lease taken");
      options.onLeadership?.(next !== null);
    }
  }

  /** Takes or renews one lease; the held record, or null when another holds it. */
  async function keep(scope: string, current: Held | null | undefined): Promise<Held | null> {
    const started = performance.now();
    const lease =
      current === null || current === undefined
        ? await store.leases.acquire(scope, identity.id, leaseTtlMs)
        : await store.leases.renew(scope, identity.id, leaseTtlMs);
    if (lease === null) return null;
    if (current && lease.token !== current.lease.token) return null;
    return { lease, trustedUntil: started + leaseTtlMs - margin };
  }

  async function round(): Promise<void> {
    if (options.alone !== true) {
      // The leader lease first: the rest of the round must not make it lapse.
      setLeader(await keep(LEADER_SCOPE, live(leader) ? leader : null));
    }
    await store.members.heartbeat(
      {
        id: identity.id,
        address: options.address(),
        version: identity.version,
        duties: runningDuties(),
        startedAt: identity.startedAt,
      },
      leaseTtlMs,
    );
    if (options.alone === true) return;
    const members = await store.members.list();
    const ids = members.map((member: ProxyMember) => member.id);
    if (!ids.includes(identity.id)) ids.push(identity.id);
    await Promise.all(
      Array.from({ length: PARTITIONS }, async (_, partition) => {
        const scope = partitionScope(partition);
        const held = partitions.get(partition);
        if (preferredOwner(ids, partition) !== identity.id) {
          // Hand the partition to the process that prefers it now that it is live.
          if (held !== undefined) {
            partitions.delete(partition);
            await store.leases.release(scope, identity.id);
          }
          return;
        }
        const kept = await keep(scope, live(held) ? held : null);
        if (kept === null) partitions.delete(partition);
        else partitions.set(partition, kept);
      }),
    );
  }

  function tick(): Promise<void> {
    ticking ??= round()
      .catch((error: unknown) => {
        // The store is out of reach: leases lapse locally by themselves, nothing acts.
        logger.warn({ err: error }, "coordination round failed");
      })
      .finally(() => {
        ticking = undefined;
      });
    return ticking;
  }

  /** Rounds start every renewal period, however long the previous one took. */
  function schedule(delayMs = options.renewIntervalMs): void {
    if (stopped) return;
    timer = setTimeout(() => {
      const started = performance.now();
      void tick().finally(() =>
        schedule(Math.max(0, options.renewIntervalMs - (performance.now() - started))),
      );
    }, delayMs);
    timer.unref();
  }
  schedule();

  function runningDuties(): string[] {
    const leads = options.alone === true || live(leader);
    const hasPartition = options.alone === true || [...partitions.values()].some(live);
    return [...duties]
      .filter(([, mode]) => mode === "everywhere" || (mode === "leader" ? leads : hasPartition))
      .map(([name]) => name)
      .sort();
  }

  async function fencedBy<T>(
    current: () => Held | null | undefined,
    scope: string,
    act: () => Promise<T>,
  ): Promise<T> {
    let held = current();
    if (held === null || held === undefined) {
      throw new StaleLeaseError(`This process does not hold the ${scope} lease.`);
    }
    if (!live(held)) {
      // Past the trusted time (a slow round, a pause): renewing tells whether the tenure
      // is still ours; after a lapse another process may hold it, and this one must stop.
      const renewed = await keep(scope, held);
      if (renewed === null) {
        throw new StaleLeaseError(`The ${scope} lease of this process lapsed.`);
      }
      held = renewed;
      if (scope === LEADER_SCOPE) leader = renewed;
      else partitions.set(Number(scope.slice("partition:".length)), renewed);
    }
    try {
      return await store.leases.fenced(held.lease, act);
    } catch (error) {
      if ((error as { code?: unknown }).code === "stale_lease") {
        throw new StaleLeaseError((error as Error).message);
      }
      throw error;
    }
  }

  const leaderRun: DutyRun = {
    owns: () => live(leader),
    fenced: (act) => fencedBy(() => leader, LEADER_SCOPE, act),
  };
  const partitionRun: DutyRun = {
    owns: (item) => live(partitions.get(partitionOf(item))),
    fenced: (act, item) => {
      if (item === undefined) return fencedBy(() => leader, LEADER_SCOPE, act);
      const partition = partitionOf(item);
      return fencedBy(() => partitions.get(partition), partitionScope(partition), act);
    },
  };

  return {
    identity,
    modes: ["everywhere", "leader", "partitioned"],
    async claim(duty) {
      if (duty.mode === "everywhere" || options.alone === true) return EVERYTHING;
      if (duty.mode === "leader") return live(leader) ? leaderRun : null;
      return [...partitions.values()].some(live) ? partitionRun : null;
    },
    register(duty) {
      duties.set(duty.name, duty.mode);
    },
    unregister(duty) {
      duties.delete(duty.name);
    },
    tick,
    view() {
      if (options.alone === true) return soleProcessView(runningDuties());
      const leads = live(leader) ? leader : null;
      return {
        leader: leads !== null,
        leaderToken: leads?.lease.token ?? null,
        partitions: [...partitions]
          .filter(([, held]) => live(held))
          .map(([partition]) => partition)
          .sort((a, b) => a - b),
        duties: runningDuties(),
      };
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await ticking;
      const scopes = [LEADER_SCOPE, ...[...partitions.keys()].map(partitionScope)];
      leader = null;
      partitions.clear();
      await Promise.all(
        scopes.map((scope) => store.leases.release(scope, identity.id).catch(() => false)),
      );
      await store.members.remove(identity.id).catch(() => false);
    },
  };
}

/** The coordination view of a process alone on its store: it leads and owns everything. */
export function soleProcessView(duties: readonly string[]): CoordinationView {
  return {
    leader: true,
    leaderToken: null,
    partitions: Array.from({ length: PARTITIONS }, (_, partition) => partition),
    duties,
  };
}

function partitionScope(partition: number): string {
  return `partition:${partition}`;
}

function weight(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

/** The partition of an item: a stable hash, the same in every process. */
export function partitionOf(item: string): number {
  return weight(item) % PARTITIONS;
}

/** Rendezvous hashing: the live process with the highest weight for the partition. */
export function preferredOwner(processIds: readonly string[], partition: number): string {
  let best = "";
  let bestWeight = -1;
  for (const id of processIds) {
    const w = weight(`${id}:${partition}`);
    if (w > bestWeight || (w === bestWeight && id < best)) {
      best = id;
      bestWeight = w;
    }
  }
  return best;
}
