import type { HintedRequest, HintRecord, NewHint, TaskStore } from "@miroir/taskstore";
import type { NodeRequest } from "../node-client/index.js";

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
 * The lane counts live in this process (restored from the store at start); the hints
 * themselves are durable.
 */
export interface HintedHandoff {
  /** Whether writes to this lane must be hinted instead of sent. */
  isHinted(nodeId: string, indexUid: string): boolean;
  /** Marks the lanes of `hints` hinted at once (synchronously), before they are stored. */
  hold(hints: readonly NewHint[]): void;
  /** Stores hints already held. */
  store(hints: readonly NewHint[]): Promise<void>;
  /** Nodes with pending hints or waiting for verification: reads avoid them. */
  recovering(): ReadonlySet<string>;
  /** Pending hints per node. */
  pendingByNode(): ReadonlyMap<string, number>;
  /** Marks a node recovering until `verified` (after a replay). */
  holdForVerification(nodeId: string): void;
  verified(nodeId: string): void;
  /** Forgets replayed hints (their lanes are released once empty). */
  replayed(hints: readonly HintRecord[]): Promise<void>;
  /** Reads the pending hints of the store: called once at start. */
  restore(): Promise<void>;
}

export function createHintedHandoff(taskStore: TaskStore): HintedHandoff {
  /** Pending hints per lane (`node\0index`). */
  const lanes = new Map<string, number>();
  const unverified = new Set<string>();
  let recovering: ReadonlySet<string> = new Set();
  const laneOf = (nodeId: string, indexUid: string) => `${nodeId}\u0000${indexUid}`;
  const nodeOf = (lane: string) => lane.slice(0, lane.indexOf("\u0000"));

  function refresh(): void {
    const nodes = new Set(unverified);
    for (const lane of lanes.keys()) nodes.add(nodeOf(lane));
    recovering = nodes;
  }
  function add(nodeId: string, indexUid: string, count: number): void {
    const lane = laneOf(nodeId, indexUid);
    const next = (lanes.get(lane) ?? 0) + count;
    if (next > 0) lanes.set(lane, next);
    else lanes.delete(lane);
  }

  return {
    isHinted: (nodeId, indexUid) => lanes.has(laneOf(nodeId, indexUid)),
    hold(hints) {
      for (const hint of hints) add(hint.nodeId, hint.indexUid, 1);
      refresh();
    },
    async store(hints) {
      if (hints.length > 0) await taskStore.hints.append(hints);
    },
    recovering: () => recovering,
    pendingByNode() {
      const byNode = new Map<string, number>();
      for (const [lane, count] of lanes) {
        const nodeId = nodeOf(lane);
        byNode.set(nodeId, (byNode.get(nodeId) ?? 0) + count);
      }
      return byNode;
    },
    holdForVerification(nodeId) {
      unverified.add(nodeId);
      refresh();
    },
    verified(nodeId) {
      unverified.delete(nodeId);
      refresh();
    },
    async replayed(hints) {
      await taskStore.hints.remove(hints.map((hint) => hint.seq));
      for (const hint of hints) add(hint.nodeId, hint.indexUid, -1);
      refresh();
    },
    async restore() {
      for (const nodeId of (await taskStore.hints.pendingByNode()).keys()) {
        for (const hint of await taskStore.hints.list(nodeId)) add(hint.nodeId, hint.indexUid, 1);
      }
      refresh();
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
