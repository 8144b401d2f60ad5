import { type MeiliError, meiliError } from "@miroir/errors";
import { writeTargets } from "@miroir/router";
import type { MiroirTaskRecord } from "@miroir/taskstore";
import { askNodes, failureOf, succeeded, successfulAnswers } from "../broadcast/ask-nodes.js";
import type { ProxyContext } from "../context.js";
import { widestTopology } from "../topology/index-shards.js";
import { nodeOfTaskKey } from "./node-task-key.js";
import { type ShardParts, shardPartsOf, wholePayload } from "./shard-parts.js";

const FEATURE = "getTaskDocumentsRoute";

/** Whether `GET /tasks/{uid}/documents` can read this task's documents from its node tasks. */
export function hasTaskDocuments(task: MiroirTaskRecord): boolean {
  return task.type === "documentAdditionOrUpdate" && Object.keys(task.nodeTasks).length > 0;
}

/**
 * A document write's documents while its update files still exist on the nodes, as one
 * NDJSON payload. Each node holds only its shards' part, so the part of every node task
 * is read and each shard's documents are taken once (replicas hold the same), without
 * `_miroir_*` fields.
 */
export async function taskDocuments(ctx: ProxyContext, task: MiroirTaskRecord): Promise<string> {
  const uidOf = new Map(
    Object.entries(task.nodeTasks).map(([key, uid]) => [nodeOfTaskKey(key), uid]),
  );
  const read = await askNodes(
    ctx,
    [...uidOf.keys()],
    (nodeId) => ({ method: "GET", path: `/tasks/${uidOf.get(nodeId)}/documents` }),
    { timeoutMs: ctx.config.connection_pool.request_timeout_ms },
  );
  const failures = read
    .filter((outcome) => !succeeded(outcome))
    .map((outcome) => ({ nodeId: outcome.nodeId, failure: failureOf(outcome) }));
  const gate = failures.find((answer) => answer.failure.code === "feature_not_enabled");
  if (gate !== undefined) throw gate.failure;
  const order = new Map(ctx.cluster.topology.nodes.map((node, at) => [node.id, at]));
  const parts: { nodeId: string; parts: ShardParts }[] = [...successfulAnswers(read)]
    .map(([nodeId, body]) => ({ nodeId, parts: shardPartsOf(nodeId, body) }))
    .sort((a, b) => (order.get(a.nodeId) ?? order.size) - (order.get(b.nodeId) ?? order.size));
  const lost = shardsWithoutAnAnswer(
    ctx,
    failures.map((answer) => answer.nodeId),
    parts.map((answer) => answer.nodeId),
  );
  if (lost.length > 0) {
    const unavailable = failures.find((answer) => !isGone(answer.failure));
    if (unavailable === undefined) throw taskFileNotFound(task.uid);
    throw meiliError(
      "miroir_shard_unavailable",
      `No replica of shard${lost.length === 1 ? "" : "s"} ${lost.join(", ")} could answer with its part of task \`${task.uid}\` (${unavailable.failure.message}), so the documents would be incomplete.`,
    );
  }
  return wholePayload(parts.map((answer) => answer.parts));
}

/**
 * The shards a node without an answer was sent documents of that no answering node was
 * sent too: only for those is the payload missing a part.
 */
function shardsWithoutAnAnswer(
  ctx: ProxyContext,
  silent: readonly string[],
  answered: readonly string[],
): number[] {
  if (silent.length === 0) return [];
  // Shard s has the same replicas whatever an index's count: the widest count covers all.
  const topology = widestTopology(ctx);
  const lost: number[] = [];
  for (let shard = 0; shard < topology.shards; shard++) {
    const targets = writeTargets(shard, topology);
    if (!silent.some((nodeId) => targets.includes(nodeId))) continue;
    if (!answered.some((nodeId) => targets.includes(nodeId))) lost.push(shard);
  }
  return lost;
}

/** A node task whose update file is gone: processed, canceled, or pruned from the node. */
function isGone(error: MeiliError): boolean {
  return error.code === "task_file_not_found" || error.code === "task_not_found";
}

export function taskFileNotFound(uid: number): MeiliError {
  return meiliError(
    "task_file_not_found",
    `Task \`${uid}\` does not contain any documents. Only \`documentAdditionOrUpdate\` tasks with the statuses \`enqueued\` or \`processing\` contain documents`,
  );
}

/**
 * Asks every node for its switches; a node with the feature off makes the route refused,
 * with Meilisearch's own error. A node that cannot answer does not decide.
 */
export async function requireTaskDocumentsFeature(ctx: ProxyContext): Promise<void> {
  const read = await askNodes<Record<string, unknown>>(
    ctx,
    ctx.nodes.nodeIds,
    { method: "GET", path: "/experimental-features" },
    { timeoutMs: ctx.config.connection_pool.request_timeout_ms },
  );
  if ([...successfulAnswers(read).values()].some((switches) => switches[FEATURE] !== true)) {
    throw meiliError(
      "feature_not_enabled",
      "Getting the documents of an enqueued task requires enabling the `get task documents route` experimental feature. See https://github.com/orgs/meilisearch/discussions/808",
    );
  }
}
