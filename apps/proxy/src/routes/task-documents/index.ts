import { type MeiliError, meiliError } from "@miroir/errors";
import { writeTargets } from "@miroir/router";
import type { MiroirTaskRecord } from "@miroir/taskstore";
import { Hono } from "hono";
import { accessOf } from "../../auth/index.js";
import type { ProxyContext } from "../../context.js";
import { toMeiliError } from "../../errors/index.js";
import { isSuccess, type NodeResponse, nodeErrorOf } from "../../node-client/index.js";
import { nodeOfTaskKey } from "../../tasks/node-task-key.js";
import { taskVisibility } from "../../tasks/visible-tasks.js";
import { type ShardParts, shardPartsOf, wholePayload } from "./shard-parts.js";

const FEATURE = "getTaskDocumentsRoute";

/**
 * `GET /tasks/{uid}/documents` (Meilisearch's experimental `getTaskDocumentsRoute`): the
 * documents of a document write while its update files still exist on the nodes. Each
 * node holds only its shards' part, so the part of every node task is read and each
 * shard's documents are taken once (replicas hold the same), without `_miroir_*` fields.
 */
export function taskDocumentRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();

  routes.get("/tasks/:taskUid/documents", async (c) => {
    const raw = c.req.param("taskUid");
    const uid = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    const task = Number.isSafeInteger(uid) ? await ctx.taskStore.tasks.get(uid) : null;
    const visible = taskVisibility(accessOf(c));
    const known = task !== null && (visible === null || visible(task));
    if (!known || task.type !== "documentAdditionOrUpdate" || !hasNodeTasks(task)) {
      // Meilisearch checks the feature before reading the uid; no node task decides it here.
      await requireFeatureOnEveryNode(ctx);
      if (!Number.isSafeInteger(uid)) {
        throw meiliError(
          "invalid_task_uids",
          `Invalid value in parameter \`taskUid\`: could not parse \`${raw}\` as a positive integer`,
        );
      }
      if (!known) throw meiliError("task_not_found", `Task \`${uid}\` not found.`);
      throw taskFileNotFound(uid);
    }
    return c.body(await payloadOf(ctx, task), 200, { "Content-Type": "application/x-ndjson" });
  });

  return routes;
}

type NodePartAnswer =
  | { readonly nodeId: string; readonly parts: ShardParts }
  | { readonly nodeId: string; readonly failure: MeiliError };

async function payloadOf(ctx: ProxyContext, task: MiroirTaskRecord): Promise<string> {
  const answers = await Promise.all(
    Object.entries(task.nodeTasks).map(([key, nodeTaskUid]) =>
      nodePart(ctx, nodeOfTaskKey(key), nodeTaskUid),
    ),
  );
  const failures = answers.flatMap((answer) => ("failure" in answer ? [answer] : []));
  const gate = failures.find((answer) => answer.failure.code === "feature_not_enabled");
  if (gate !== undefined) throw gate.failure;
  const order = new Map(ctx.cluster.topology.nodes.map((node, at) => [node.id, at]));
  const parts = answers
    .flatMap((answer) => ("parts" in answer ? [answer] : []))
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

async function nodePart(
  ctx: ProxyContext,
  nodeId: string,
  nodeTaskUid: number,
): Promise<NodePartAnswer> {
  let response: NodeResponse;
  try {
    response = await ctx.nodes.call(nodeId, {
      method: "GET",
      path: `/tasks/${nodeTaskUid}/documents`,
      timeoutMs: ctx.config.connection_pool.request_timeout_ms,
    });
  } catch (error) {
    return { nodeId, failure: toMeiliError(error) };
  }
  if (!isSuccess(response)) return { nodeId, failure: nodeErrorOf(response) };
  return { nodeId, parts: shardPartsOf(nodeId, response.body) };
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
  const topology = ctx.cluster.topology;
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

function hasNodeTasks(task: MiroirTaskRecord): boolean {
  return Object.keys(task.nodeTasks).length > 0;
}

function taskFileNotFound(uid: number): MeiliError {
  return meiliError(
    "task_file_not_found",
    `Task \`${uid}\` does not contain any documents. Only \`documentAdditionOrUpdate\` tasks with the statuses \`enqueued\` or \`processing\` contain documents`,
  );
}

/**
 * Asks every node for its switches; a node with the feature off makes the route refused,
 * with Meilisearch's own error. A node that cannot answer does not decide.
 */
async function requireFeatureOnEveryNode(ctx: ProxyContext): Promise<void> {
  const switches = await Promise.all(
    ctx.nodes.nodeIds.map((nodeId) =>
      ctx.nodes
        .call<Record<string, unknown>>(nodeId, {
          method: "GET",
          path: "/experimental-features",
          timeoutMs: ctx.config.connection_pool.request_timeout_ms,
        })
        .then(
          (response) => (isSuccess(response) ? response.body : null),
          () => null,
        ),
    ),
  );
  if (switches.some((answer) => answer !== null && answer[FEATURE] !== true)) {
    throw meiliError(
      "feature_not_enabled",
      "Getting the documents of an enqueued task requires enabling the `get task documents route` experimental feature. See https://github.com/orgs/meilisearch/discussions/808",
    );
  }
}
