import { randomUUID } from "node:crypto";
import { meiliError } from "@miroir/errors";
import { assignShards, type HealthView, type Topology } from "@miroir/router";
import type { TaskStore } from "@miroir/taskstore";
import type { MiddlewareHandler } from "hono";
import type { NodeClient } from "../node-client/index.js";
import { withReadExclusions } from "../scatter/read-exclusions.js";
import { isFinished } from "../tasks/aggregate-status.js";
import { fetchNodeTasks } from "../tasks/fetch-node-tasks.js";
import { nodeOfTaskKey } from "../tasks/node-task-key.js";
import { indexOfRequest, isWriteRequest } from "./write-request.js";

export const SESSION_HEADER = "x-miroir-session";
/**
 * Set on a session's read that waited as long as allowed and still had no replica that
 * applied the session's last write: the Miroir task uids the answer may not reflect.
 */
export const SESSION_STALE_HEADER = "x-miroir-session-stale";

/** A node that cannot say within this time whether it applied a write counts as lagging. */
const TASK_LOOKUP_TIMEOUT_MS = 250;

/** The session's writes to a request that names no index (keys, swaps) count for every index. */
const EVERY_INDEX = "*";

export interface SessionOptions {
  readonly store: TaskStore;
  readonly nodes: NodeClient;
  /** The fleet and its health as reads see them now. */
  readonly fleet: () => { topology: Topology; health: HealthView };
  readonly ttlMs: number;
  /** `block`: wait up to `maxWaitMs`; `route_pin`: never wait, only prefer caught-up replicas. */
  readonly strategy: "block" | "route_pin";
  readonly maxWaitMs: number;
}

/**
 * Read-your-writes sessions (`X-Miroir-Session`). A write's answer carries the session id
 * (a new one when the request had none), and the write's Miroir task is recorded as the
 * session's last write to its index, in the task store, before the answer goes out. A
 * read in the session is served only by replicas that applied that write: it waits
 * (bounded) until the replicas still applying it can be left out of its covering set,
 * and when the bound is reached it is served as usual with `X-Miroir-Session-Stale`.
 */
export function readYourWrites(options: SessionOptions): MiddlewareHandler {
  return async (c, next) => {
    const given = c.req.header(SESSION_HEADER);
    if (given !== undefined && !/^[\x21-\x7e]{1,128}$/.test(given)) {
      throw meiliError(
        "miroir_invalid_request",
        "The `X-Miroir-Session` header must be 1 to 128 visible ASCII characters.",
      );
    }
    const { method, path } = c.req;
    if (isWriteRequest(method, path)) {
      await next();
      const taskUid = await acceptedTaskOf(c.res);
      if (taskUid === null) return;
      const sessionId = given ?? randomUUID();
      const indexUid = indexOfRequest(method, path) ?? EVERY_INDEX;
      await options.store.sessions.recordWrite(sessionId, indexUid, taskUid, options.ttlMs);
      c.res.headers.set(SESSION_HEADER, sessionId);
      return;
    }
    if (given === undefined || path.startsWith("/_miroir")) return next();
    const session = await options.store.sessions.get(given);
    if (session === null) return next();
    const indexUid = indexOfRequest(method, path);
    const awaited = Object.entries(session.lastWrites)
      .filter(([index]) => indexUid === null || index === indexUid || index === EVERY_INDEX)
      .map(([, uid]) => uid);
    if (awaited.length === 0) return next();
    const deadline = Date.now() + (options.strategy === "block" ? options.maxWaitMs : 0);
    for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
      const lookupMs = Math.min(Math.max(deadline - Date.now(), 50), TASK_LOOKUP_TIMEOUT_MS);
      const lagging = await laggingReplicas(options, awaited, lookupMs);
      // Even with none lagging, the read runs with its (empty) exclusions: that keeps it
      // from joining an identical search that started before the write was applied.
      if (lagging.size === 0 || coverable(options.fleet(), lagging)) {
        return withReadExclusions(lagging, () => next());
      }
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    await next();
    c.res.headers.set(SESSION_STALE_HEADER, awaited.join(","));
  };
}

/** The Miroir task uid of a `202 {taskUid, …}` answer, null for any other answer. */
async function acceptedTaskOf(response: Response): Promise<number | null> {
  if (response.status !== 202 && response.status !== 200) return null;
  if (!(response.headers.get("content-type") ?? "").includes("application/json")) return null;
  try {
    const body = (await response.clone().json()) as { taskUid?: unknown };
    return typeof body.taskUid === "number" ? body.taskUid : null;
  } catch {
    return null;
  }
}

/**
 * The replicas that have not applied every awaited write yet: those whose node task is
 * unfinished or could not be read within `timeoutMs` (a hung node counts as lagging). A
 * finished Miroir task has none.
 */
async function laggingReplicas(
  options: SessionOptions,
  taskUids: readonly number[],
  timeoutMs: number,
): Promise<Set<string>> {
  const pending: [string, number][] = [];
  for (const uid of taskUids) {
    const task = await options.store.tasks.get(uid);
    if (task === null || isFinished(task.status)) continue;
    for (const [key, nodeTaskUid] of Object.entries(task.nodeTasks)) {
      if (!isFinished(task.nodeStatuses[key] ?? "enqueued")) pending.push([key, nodeTaskUid]);
    }
  }
  const lagging = new Set<string>();
  if (pending.length === 0) return lagging;
  const found = await fetchNodeTasks(options.nodes, pending, timeoutMs);
  for (const [key, uid] of pending) {
    const nodeId = nodeOfTaskKey(key);
    const task = found.get(nodeId, uid);
    if (task === undefined || !isFinished(task.status)) lagging.add(nodeId);
  }
  return lagging;
}

/** Whether every shard has a readable replica once the lagging ones are left out. */
function coverable(fleet: { topology: Topology; health: HealthView }, lagging: Set<string>) {
  const health = new Map(fleet.health);
  for (const nodeId of lagging) health.set(nodeId, "unreachable");
  const assignment = assignShards({
    topology: fleet.topology,
    group: 0,
    seq: 0,
    health,
    shards: Array.from({ length: fleet.topology.shards }, (_, shard) => shard),
    failed: new Set(),
    inGroup: true,
    otherGroups: true,
  });
  return assignment.uncovered.length === 0;
}
