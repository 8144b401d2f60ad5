import { healthOf, servesReads } from "@miroir/router";
import { withShardFilterable } from "../broadcast/shard-filterable.js";
import type { ProxyContext } from "../context.js";
import { expectSuccess, indexPath, isSuccess } from "../node-client/index.js";
import { waitForNodeTasks } from "../tasks/fetch-node-tasks.js";
import type { EnqueuedNodeTask } from "../tasks/node-task.js";
import { nodeTaskKey } from "../tasks/node-task-key.js";

const SETUP_WAIT_MS = 60_000;

interface IndexPage {
  readonly results: readonly { readonly uid: string; readonly primaryKey: string | null }[];
}

/**
 * Gives a node that just joined every index of the cluster, with its primary key and its
 * settings (`_miroir_shard` filterable included), copied from a node that serves reads.
 * Without them the dual writes would create its indexes with default settings, and every
 * later settings change would read back differently there and be rolled back. Requests
 * go through the per-(node, index) FIFO, so they keep their order with the writes; an
 * index a write already created is refused (`index_already_exists`) and only its settings
 * are set. Resolves with the number of indexes set up, once their node tasks finished.
 */
export async function setUpJoiningNode(ctx: ProxyContext, nodeId: string): Promise<number> {
  const source = ctx.cluster.topology.nodes.find(
    (node) =>
      node.id !== nodeId &&
      servesReads(node.state) &&
      healthOf(ctx.cluster.health, node.id) !== "unreachable",
  );
  if (source === undefined) return 0;
  const { results } = expectSuccess<IndexPage>(
    await ctx.nodes.call(source.id, {
      method: "GET",
      path: "/indexes",
      query: { limit: "1000000" },
    }),
  );
  const nodeTasks: Record<string, number> = {};
  await Promise.all(
    results.map(async (index, at) => {
      const settings = expectSuccess<Record<string, unknown>>(
        await ctx.nodes.call(source.id, {
          method: "GET",
          path: `${indexPath(index.uid)}/settings`,
        }),
      );
      const created = ctx.writes.send(nodeId, index.uid, {
        method: "POST",
        path: "/indexes",
        json: { uid: index.uid, primaryKey: index.primaryKey },
      });
      const configured = ctx.writes.send(nodeId, index.uid, {
        method: "PATCH",
        path: `${indexPath(index.uid)}/settings`,
        json: {
          ...settings,
          filterableAttributes: withShardFilterable(settings.filterableAttributes),
        },
      });
      await created.catch(() => undefined);
      const answer = await configured;
      if (isSuccess(answer)) {
        nodeTasks[nodeTaskKey(nodeId, at)] = (answer.body as EnqueuedNodeTask).taskUid;
      }
    }),
  );
  await waitForNodeTasks(ctx.nodes, nodeTasks, SETUP_WAIT_MS);
  return results.length;
}
