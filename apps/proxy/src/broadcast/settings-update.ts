import { meiliError } from "@miroir/errors";
import { SHARD_FIELD } from "@miroir/merger";
import type { MiroirTaskRecord } from "@miroir/taskstore";
import type { ProxyContext } from "../context.js";
import { indexPath, type NodeRequest } from "../node-client/index.js";
import { waitForNodeTasks } from "../tasks/fetch-node-tasks.js";
import type { EnqueuedNodeTask } from "../tasks/node-task.js";
import { askAnyNode, askNodes, logUndelivered, succeeded, successfulAnswers } from "./ask-nodes.js";
import { runBroadcast } from "./broadcast-operation.js";
import { NODE_FACETING, nodeFacetingFor, nodeFacetingStep } from "./node-faceting.js";
import type { SettingRoute } from "./setting-routes.js";
import { withShardFilterable } from "./shard-filterable.js";

const RESTORE_WAIT_MS = 60_000;

/**
 * A settings change as the nodes must receive it: the client's request with
 * `_miroir_shard` kept filterable (merged into a new filterable list, put back after a
 * reset), and the `details` Meilisearch reports for it.
 */
interface SettingsChange {
  readonly steps: readonly NodeRequest[];
  readonly details: Record<string, unknown>;
}

const settingsPathOf = (indexUid: string) => `${indexPath(indexUid)}/settings`;

/** Settings a node keeps as sets (sorted, without duplicates), in its task details too. */
const SET_SETTINGS = [
  "sortableAttributes",
  "stopWords",
  "nonSeparatorTokens",
  "separatorTokens",
  "dictionary",
];

/** A settings change's `details` as a node writes them: set-like settings sorted. */
export function asNodeDetails(details: Record<string, unknown>): Record<string, unknown> {
  const shown = { ...details };
  for (const name of SET_SETTINGS) {
    shown[name] = sortedSet(shown[name]);
  }
  const typo = shown.typoTolerance;
  if (isRecord(typo)) {
    shown.typoTolerance = {
      ...typo,
      ...("disableOnWords" in typo ? { disableOnWords: sortedSet(typo.disableOnWords) } : {}),
      ...("disableOnAttributes" in typo
        ? { disableOnAttributes: sortedSet(typo.disableOnAttributes) }
        : {}),
    };
  }
  for (const name of Object.keys(shown)) if (shown[name] === undefined) delete shown[name];
  return shown;
}

function sortedSet(value: unknown): unknown {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) return value;
  return [...new Set(value as string[])].sort();
}

/** Makes `_miroir_shard` filterable again after a reset of the filterable attributes. */
function keepShardFilterable(indexUid: string): NodeRequest {
  return {
    method: "PUT",
    path: `${settingsPathOf(indexUid)}/filterable-attributes`,
    json: [SHARD_FIELD],
  };
}

/** The faceting settings the nodes hold now, as a node shows them (none: the index is new). */
async function currentFaceting(ctx: ProxyContext, indexUid: string): Promise<unknown> {
  const answer = await askAnyNode(ctx, ctx.nodes.nodeIds, {
    method: "GET",
    path: `${settingsPathOf(indexUid)}/faceting`,
  });
  return answer !== undefined && answer.status === 200 ? answer.body : undefined;
}

/** The faceting a change sends to the nodes (see `node-faceting.ts`). */
async function nodeFaceting(ctx: ProxyContext, indexUid: string, change: unknown) {
  const needsCurrent =
    typeof change === "object" &&
    change !== null &&
    "maxValuesPerFacet" in change !== "sortFacetValuesBy" in change;
  return nodeFacetingFor(change, needsCurrent ? await currentFaceting(ctx, indexUid) : undefined);
}

/** `PATCH /indexes/{uid}/settings`. */
export async function patchSettings(
  ctx: ProxyContext,
  indexUid: string,
  patch: Readonly<Record<string, unknown>>,
): Promise<MiroirTaskRecord> {
  const settings = { ...patch };
  if ("filterableAttributes" in settings) {
    settings.filterableAttributes = withShardFilterable(settings.filterableAttributes);
  }
  // A settings change may create the index: its nodes keep their large maximum either way.
  settings.faceting = !("faceting" in patch)
    ? NODE_FACETING
    : patch.faceting === null
      ? { ...NODE_FACETING, sortFacetValuesBy: null }
      : await nodeFaceting(ctx, indexUid, patch.faceting);
  return updateSettings(ctx, indexUid, {
    steps: [{ method: "PATCH", path: settingsPathOf(indexUid), json: settings }],
    details: asNodeDetails({ ...patch }),
  });
}

/** `DELETE /indexes/{uid}/settings`: every setting back to its default. */
export function resetSettings(ctx: ProxyContext, indexUid: string): Promise<MiroirTaskRecord> {
  return updateSettings(ctx, indexUid, {
    steps: [
      { method: "DELETE", path: settingsPathOf(indexUid) },
      keepShardFilterable(indexUid),
      nodeFacetingStep(indexPath(indexUid)),
    ],
    details: {},
  });
}

/** `PUT` or `PATCH /indexes/{uid}/settings/<route>`: one setting. */
export async function changeSetting(
  ctx: ProxyContext,
  indexUid: string,
  setting: SettingRoute,
  value: unknown,
): Promise<MiroirTaskRecord> {
  const sent =
    setting.name === "filterableAttributes"
      ? withShardFilterable(value)
      : setting.name === "faceting"
        ? await nodeFaceting(ctx, indexUid, value)
        : value;
  return updateSettings(ctx, indexUid, {
    steps: [
      { method: setting.method, path: `${settingsPathOf(indexUid)}/${setting.route}`, json: sent },
    ],
    details: asNodeDetails({ [setting.name]: value }),
  });
}

/** `DELETE /indexes/{uid}/settings/<route>`: one setting back to its default. */
export function resetSetting(
  ctx: ProxyContext,
  indexUid: string,
  setting: SettingRoute,
): Promise<MiroirTaskRecord> {
  if (setting.name === "filterableAttributes") {
    return updateSettings(ctx, indexUid, {
      steps: [keepShardFilterable(indexUid)],
      details: { [setting.name]: [] },
    });
  }
  const reset: NodeRequest = {
    method: "DELETE",
    path: `${settingsPathOf(indexUid)}/${setting.route}`,
  };
  return updateSettings(ctx, indexUid, {
    steps: setting.name === "faceting" ? [reset, nodeFacetingStep(indexPath(indexUid))] : [reset],
    details: { [setting.name]: null },
  });
}

/**
 * Applies a settings change on every node: the previous settings of every node are read
 * first; every node task is awaited and the settings read back and compared; on any
 * failure or divergence every node is put back to its previous settings and the Miroir
 * task fails.
 */
function updateSettings(
  ctx: ProxyContext,
  indexUid: string,
  change: SettingsChange,
): Promise<MiroirTaskRecord> {
  const previous = new Map<string, unknown>();
  const settingsPath = settingsPathOf(indexUid);
  return runBroadcast(ctx, {
    queueKey: indexUid,
    task: { indexUid, type: "settingsUpdate", details: change.details },
    steps: change.steps,
    prepare: async () => {
      const read = await askNodes(ctx, ctx.nodes.nodeIds, { method: "GET", path: settingsPath });
      for (const [nodeId, settings] of successfulAnswers(read)) previous.set(nodeId, settings);
    },
    undo: async (nodeIds) => {
      const restored = await askNodes<EnqueuedNodeTask>(
        ctx,
        nodeIds,
        (nodeId): NodeRequest => {
          const before = previous.get(nodeId);
          return before === undefined
            ? { method: "DELETE", path: settingsPath }
            : { method: "PATCH", path: settingsPath, json: restorable(before, change.details) };
        },
        { queueKey: indexUid },
      );
      logUndelivered(ctx.logger, restored, "settings restore failed", "error");
      const restores: Record<string, number> = {};
      for (const outcome of restored.filter(succeeded)) {
        restores[outcome.nodeId] = outcome.response.body.taskUid;
      }
      // The task fails only once the old settings are back, so a client that waited for
      // it reads them.
      await waitForNodeTasks(ctx.nodes, restores, RESTORE_WAIT_MS);
    },
    verify: async () => {
      const read = await askNodes(ctx, ctx.nodes.nodeIds, { method: "GET", path: settingsPath });
      const texts = new Set(read.map((outcome) => canonical(outcome.response?.body)));
      if (texts.size === 1 && read.every(succeeded)) return undefined;
      return meiliError(
        "miroir_settings_diverged",
        `The settings of index \`${indexUid}\` read back differently from the nodes; the previous settings were restored.`,
      );
    },
  });
}

/**
 * Settings as read, as a `PATCH` that puts them back after `change`: minus what a node
 * would refuse to take back, and with every embedder the change named that did not exist
 * before set to `null` (a `PATCH` of `embedders` merges by name, so an added embedder
 * would otherwise stay).
 */
export function restorable(
  settings: unknown,
  change: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  const copy = { ...(settings as Record<string, unknown>) };
  copy.filterableAttributes = withShardFilterable(copy.filterableAttributes);
  const added = change.embedders;
  if (typeof added === "object" && added !== null && !Array.isArray(added)) {
    const before = isRecord(copy.embedders) ? copy.embedders : {};
    const embedders: Record<string, unknown> = { ...before };
    for (const name of Object.keys(added)) {
      if (!(name in before)) embedders[name] = null;
    }
    copy.embedders = embedders;
  }
  return copy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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
