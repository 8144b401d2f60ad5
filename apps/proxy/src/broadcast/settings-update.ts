import { meiliError } from "@miroir/errors";
import type { MiroirTaskRecord } from "@miroir/taskstore";
import type { ProxyContext } from "../context.js";
import { indexPath, isSuccess, type NodeRequest } from "../node-client/index.js";
import { waitForNodeTasks } from "../tasks/fetch-node-tasks.js";
import type { EnqueuedNodeTask } from "../tasks/node-task.js";
import { runBroadcast } from "./broadcast-operation.js";
import { withShardFilterable } from "./shard-filterable.js";

const RESTORE_WAIT_MS = 60_000;

/**
 * A settings change as the nodes must receive it: the client's request with
 * `_miroir_shard` kept filterable (merged into a new filterable list, put back after a
 * reset), and the `details` Meilisearch reports for it.
 */
export interface SettingsChange {
  readonly steps: readonly NodeRequest[];
  readonly details: Record<string, unknown>;
}

/**
 * Applies a settings change on every node: the previous settings of every node are read
 * first; every node task is awaited and the settings read back and compared; on any
 * failure or divergence every node is put back to its previous settings and the Miroir
 * task fails.
 */
export function updateSettings(
  ctx: ProxyContext,
  indexUid: string,
  change: SettingsChange,
): Promise<MiroirTaskRecord> {
  const previous = new Map<string, unknown>();
  const settingsPath = `${indexPath(indexUid)}/settings`;
  return runBroadcast(ctx, {
    queueKey: indexUid,
    task: { indexUid, type: "settingsUpdate", details: change.details },
    steps: change.steps,
    prepare: async () => {
      await Promise.all(
        ctx.nodes.nodeIds.map(async (nodeId) => {
          const answer = await ctx.nodes
            .call(nodeId, { method: "GET", path: settingsPath })
            .catch(() => undefined);
          if (answer !== undefined && isSuccess(answer)) previous.set(nodeId, answer.body);
        }),
      );
    },
    undo: async (nodeIds) => {
      const restores: Record<string, number> = {};
      await Promise.all(
        nodeIds.map(async (nodeId) => {
          const before = previous.get(nodeId);
          const restore: NodeRequest =
            before === undefined
              ? { method: "DELETE", path: settingsPath }
              : { method: "PATCH", path: settingsPath, json: restorable(before) };
          try {
            const answer = await ctx.writes.send(nodeId, indexUid, restore);
            if (isSuccess(answer)) restores[nodeId] = (answer.body as EnqueuedNodeTask).taskUid;
          } catch (error) {
            ctx.logger.error({ node: nodeId, err: error }, "settings restore failed");
          }
        }),
      );
      // The task fails only once the old settings are back, so a client that waited for
      // it reads them.
      await waitForNodeTasks(ctx.nodes, restores, RESTORE_WAIT_MS);
    },
    verify: async () => {
      const read = await Promise.all(
        ctx.nodes.nodeIds.map((nodeId) =>
          ctx.nodes.call(nodeId, { method: "GET", path: settingsPath }).catch(() => undefined),
        ),
      );
      const texts = new Set(read.map((answer) => canonical(answer?.body)));
      if (texts.size === 1 && read.every((answer) => answer !== undefined && isSuccess(answer))) {
        return undefined;
      }
      return meiliError(
        "miroir_settings_diverged",
        `The settings of index \`${indexUid}\` read back differently from the nodes; the previous settings were restored.`,
      );
    },
  });
}

/** Settings as read, minus what a node would refuse to take back. */
function restorable(settings: unknown): Record<string, unknown> {
  const copy = { ...(settings as Record<string, unknown>) };
  copy.filterableAttributes = withShardFilterable(copy.filterableAttributes);
  return copy;
}

/** JSON with sorted object keys, so equal settings compare equal. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner !== "object" || inner === null || Array.isArray(inner)) return inner;
    return Object.fromEntries(
      Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  });
}
