import type { HintedRequest, HintRecord, NewHint, TaskStore } from "@miroir/taskstore";
import { openJobs } from "../duties/open-jobs.js";
import type { NodeRequest } from "../node-client/index.js";

/** The job type that marks a node for a full repair of its shards (one per node). */
const FULL_REPAIR_JOB = "full-shard-repair:";

/**
 * The writes each replica missed, and which replicas may not be read from.
 *
 * A write a replica did not confirm is kept as a hint (in the task store, so it survives
 * a restart) before the client gets its answer. From then on that replica's lane — its
 * (node, index) pair — is *hinted*: every later write to it is hinted too instead of
 * being sent, so that replaying the hints in version order gives the replica exactly the
 * sequence of writes the others received. A node with any pending hint is *recovering*:
 * reads avoid it until its hints are replayed, applied and it is verified.
 *
 * Hints are bounded per node (`anti_entropy.max_hints_per_node`): a node that would hold
 * more is *marked for a full repair* instead (a job in the task store, so the mark
 * survives a restart). Its hints are dropped and no more are kept for it; its lanes are
 * released, so writes reach it directly once it answers again; and it stays recovering
 * until a full repair of its shards against their other replicas verified it.
 *
 * The hints and the marks are durable and shared by every Miroir process on the store.
 * Each process keeps lane counts: the hints it holds but has not stored yet, plus the
 * stored hints as of its last `sync` with the store (at start and at every hint-replay
 * run) and its own stores and replays since. So a lane another process hinted is hinted
 * here too after the next sync (no write of this process overtakes those hints), and a
 * lane whose hints another process replayed is released here at the next sync.
 */
export interface HintedHandoff {
  /** Whether writes to this lane must be hinted instead of sent. */
  isHinted(nodeId: string, indexUid: string): boolean;
  /**
   * Marks the lanes of `hints` hinted at once (synchronously), before they are stored,
   * and answers the hints to keep: none for a node marked for a full repair, or that
   * these hints would take past the bound (it is marked now).
   */
  hold(hints: readonly NewHint[]): NewHint[];
  /** Stores hints already held, and the marks `hold` made (dropping those nodes' hints). */
  store(hints: readonly NewHint[]): Promise<void>;
  /** Nodes with pending hints, waiting for verification or a full repair: reads avoid them. */
  recovering(): ReadonlySet<string>;
  /** Pending hints per node. */
  pendingByNode(): ReadonlyMap<string, number>;
  /** Nodes marked for a full repair of their shards. */
  awaitingFullRepair(): ReadonlySet<string>;
  /** Removes a node's mark once a full repair verified it. */
  fullyRepaired(nodeId: string): Promise<void>;
  /** Marks a node recovering until `verified` (after a replay). */
  holdForVerification(nodeId: string): void;
  verified(nodeId: string): void;
  /** Forgets replayed hints (their lanes are released once empty). */
  replayed(hints: readonly HintRecord[]): Promise<void>;
  /**
   * Forgets every hint of an index deleted at `version` (none may re-create it on a
   * replay); hints of a later index of the same name are kept.
   */
  dropIndex(indexUid: string, version: number): Promise<void>;
  /** Whether a hint belongs to an index deleted after it was recorded. */
  isDropped(hint: NewHint): boolean;
  /**
   * Reads the pending hints and marks of the shared store (after this process's own
   * store changes queued so far): at start, then at every hint-replay run.
   */
  sync(): Promise<void>;
}

export function createHintedHandoff(taskStore: TaskStore, maxHintsPerNode: number): HintedHandoff {
  /** Stored hints per lane (`node\0index`), as of the last sync and this process's changes since. */
  const lanes = new Map<string, number>();
  /** Hints held by this process whose store has not completed, per lane. */
  const unstored = new Map<string, number>();
  const unverified = new Set<string>();
  const marked = new Set<string>();
  /** The version at which each index was last deleted. */
  const droppedAt = new Map<string, number>();
  /** Nodes marked by `hold` whose mark is not stored yet. */
  const newlyMarked = new Set<string>();
  let recovering: ReadonlySet<string> = new Set();
  /** Store changes in the order they were decided: a mark's removal follows every append. */
  let storeQueue: Promise<unknown> = Promise.resolve();
  const laneOf = (nodeId: string, indexUid: string) => `${nodeId}\u0000${indexUid}`;
  const nodeOf = (lane: string) => lane.slice(0, lane.indexOf("\u0000"));
  const indexOf = (lane: string) => lane.slice(lane.indexOf("\u0000") + 1);

  function refresh(): void {
    const nodes = new Set([...unverified, ...marked]);
    for (const lane of lanes.keys()) nodes.add(nodeOf(lane));
    for (const lane of unstored.keys()) nodes.add(nodeOf(lane));
    recovering = nodes;
  }
  function add(counts: Map<string, number>, nodeId: string, indexUid: string, count: number) {
    const lane = laneOf(nodeId, indexUid);
    const next = (counts.get(lane) ?? 0) + count;
    if (next > 0) counts.set(lane, next);
    else counts.delete(lane);
  }
  function pendingOf(nodeId: string): number {
    let total = 0;
    for (const counts of [lanes, unstored]) {
      for (const [lane, count] of counts) if (nodeOf(lane) === nodeId) total += count;
    }
    return total;
  }
  function forgetNode(nodeId: string): void {
    for (const counts of [lanes, unstored]) {
      for (const lane of [...counts.keys()]) if (nodeOf(lane) === nodeId) counts.delete(lane);
    }
  }
  function mark(nodeId: string): void {
    marked.add(nodeId);
    newlyMarked.add(nodeId);
    forgetNode(nodeId);
  }
  function isDropped(hint: NewHint): boolean {
    return hint.version < (droppedAt.get(hint.indexUid) ?? 0);
  }
  function queued<T>(change: () => Promise<T>): Promise<T> {
    const next = storeQueue.then(change);
    storeQueue = next.catch(() => undefined);
    return next;
  }

  return {
    isHinted: (nodeId, indexUid) =>
      lanes.has(laneOf(nodeId, indexUid)) || unstored.has(laneOf(nodeId, indexUid)),
    hold(hints) {
      const perNode = new Map<string, number>();
      for (const hint of hints) perNode.set(hint.nodeId, (perNode.get(hint.nodeId) ?? 0) + 1);
      for (const [nodeId, count] of perNode) {
        if (!marked.has(nodeId) && pendingOf(nodeId) + count > maxHintsPerNode) mark(nodeId);
      }
      const kept = hints.filter((hint) => !marked.has(hint.nodeId));
      for (const hint of kept) add(unstored, hint.nodeId, hint.indexUid, 1);
      refresh();
      return kept;
    },
    store(hints) {
      const marks = [...newlyMarked];
      newlyMarked.clear();
      return queued(async () => {
        if (hints.length > 0) {
          try {
            await taskStore.hints.append(hints);
            for (const hint of hints) {
              if (!marked.has(hint.nodeId)) add(lanes, hint.nodeId, hint.indexUid, 1);
            }
          } finally {
            for (const hint of hints) add(unstored, hint.nodeId, hint.indexUid, -1);
            refresh();
          }
        }
        for (const nodeId of marks) {
          const open = await openJobs(taskStore, { type: FULL_REPAIR_JOB + nodeId });
          if (open.length === 0) await taskStore.jobs.enqueue({ type: FULL_REPAIR_JOB + nodeId });
          const dropped = await taskStore.hints.list(nodeId);
          await taskStore.hints.remove(dropped.map((hint) => hint.seq));
        }
      });
    },
    recovering: () => recovering,
    pendingByNode() {
      const byNode = new Map<string, number>();
      for (const counts of [lanes, unstored]) {
        for (const [lane, count] of counts) {
          const nodeId = nodeOf(lane);
          byNode.set(nodeId, (byNode.get(nodeId) ?? 0) + count);
        }
      }
      return byNode;
    },
    awaitingFullRepair: () => marked,
    fullyRepaired(nodeId) {
      return queued(async () => {
        // A mark is a job nobody works on: claimed and completed at once, it is gone.
        for (let attempt = 0; attempt < 100; attempt++) {
          const job = await taskStore.jobs.claim(`full-repair-${nodeId}`, 60_000, {
            types: [FULL_REPAIR_JOB + nodeId],
          });
          if (job === null) break;
          await taskStore.jobs.complete(job.id, `full-repair-${nodeId}`);
        }
        // Hints stored by a write held before the mark: the repair covered them.
        const stale = await taskStore.hints.list(nodeId);
        await taskStore.hints.remove(stale.map((hint) => hint.seq));
        marked.delete(nodeId);
        refresh();
      });
    },
    holdForVerification(nodeId) {
      unverified.add(nodeId);
      refresh();
    },
    verified(nodeId) {
      unverified.delete(nodeId);
      refresh();
    },
    replayed(hints) {
      return queued(async () => {
        await taskStore.hints.remove(hints.map((hint) => hint.seq));
        // A dropped index's hints left its lanes when it was deleted.
        for (const hint of hints) {
          if (!isDropped(hint)) add(lanes, hint.nodeId, hint.indexUid, -1);
        }
        refresh();
      });
    },
    dropIndex(indexUid, version) {
      droppedAt.set(indexUid, Math.max(version, droppedAt.get(indexUid) ?? 0));
      for (const counts of [lanes, unstored]) {
        for (const lane of [...counts.keys()]) if (indexOf(lane) === indexUid) counts.delete(lane);
      }
      refresh();
      return queued(async () => {
        for (const nodeId of (await taskStore.hints.pendingByNode()).keys()) {
          const hints = await taskStore.hints.list(nodeId);
          await taskStore.hints.remove(
            hints
              .filter((hint) => hint.indexUid === indexUid && hint.version < version)
              .map((hint) => hint.seq),
          );
        }
      });
    },
    isDropped,
    sync() {
      return queued(async () => {
        const stored = new Map<string, number>();
        for (const nodeId of (await taskStore.hints.pendingByNode()).keys()) {
          for (const hint of await taskStore.hints.list(nodeId)) {
            if (!isDropped(hint)) add(stored, hint.nodeId, hint.indexUid, 1);
          }
        }
        const marks = new Set<string>();
        for (const job of await openJobs(taskStore, { typePrefix: FULL_REPAIR_JOB })) {
          marks.add(job.type.slice(FULL_REPAIR_JOB.length));
        }
        // Marks `hold` made that are not stored yet stay.
        for (const nodeId of newlyMarked) marks.add(nodeId);
        lanes.clear();
        for (const [lane, count] of stored) if (!marks.has(nodeOf(lane))) lanes.set(lane, count);
        marked.clear();
        for (const nodeId of marks) {
          marked.add(nodeId);
          forgetNode(nodeId);
        }
        refresh();
      });
    },
  };
}

/** A node request as a hint keeps it: its body read once into bytes. */
export function hintedRequestOf(request: NodeRequest): HintedRequest {
  const bytes = bodyBytesOf(request);
  return {
    method: request.method,
    path: request.path,
    ...(request.query === undefined ? {} : { query: request.query }),
    ...(request.json !== undefined
      ? { contentType: "application/json" }
      : request.contentType === undefined
        ? {}
        : { contentType: request.contentType }),
    ...(bytes === undefined ? {} : { bodyBase64: bytes.toString("base64") }),
  };
}

/** The node request a hint replays. */
export function nodeRequestOf(hinted: HintedRequest): NodeRequest {
  return {
    method: hinted.method as NodeRequest["method"],
    path: hinted.path,
    ...(hinted.query === undefined ? {} : { query: hinted.query }),
    ...(hinted.contentType === undefined ? {} : { contentType: hinted.contentType }),
    ...(hinted.bodyBase64 === undefined ? {} : { body: Buffer.from(hinted.bodyBase64, "base64") }),
  };
}

function bodyBytesOf(request: NodeRequest): Buffer | undefined {
  if (request.json !== undefined) return Buffer.from(JSON.stringify(request.json));
  const body = request.body;
  if (body === undefined) return undefined;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  return Buffer.concat([...body]);
}
