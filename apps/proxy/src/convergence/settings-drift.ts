import { healthOf } from "@miroir/router";
import type { ProxyContext } from "../context.js";
import { indexPath } from "../node-client/index.js";
import { waitForNodeTask } from "./node-task-wait.js";

export interface SettingsReport {
  /** Nodes whose settings differ from the majority's. */
  readonly divergent: readonly string[];
  /** Nodes set back to the majority's settings. */
  readonly repaired: readonly string[];
  /** True when no strict majority exists: nothing is repaired, an operator decides. */
  readonly undecided: boolean;
}

/**
 * Compares an index's settings on every node that answers. Settings must be identical
 * everywhere (merged scores depend on them); the settings a strict majority of nodes hold
 * are the index's, and a node that differs is set back to them (when repairing). Without
 * a strict majority (two nodes that disagree) nothing is changed and the report says so.
 */
export async function compareSettings(
  ctx: ProxyContext,
  indexUid: string,
  repair: boolean,
): Promise<SettingsReport> {
  const path = `${indexPath(indexUid)}/settings`;
  const read = await Promise.all(
    ctx.nodes.nodeIds
      .filter((nodeId) => healthOf(ctx.cluster.health, nodeId) !== "unreachable")
      .map(async (nodeId) => {
        const answer = await ctx.nodes
          .call<Record<string, unknown>>(nodeId, { method: "GET", path })
          .catch(() => null);
        return answer?.status === 200 && answer.body !== null
          ? { nodeId, settings: answer.body, key: canonical(answer.body) }
          : null;
      }),
  );
  const answered = read.filter((entry) => entry !== null);
  const byKey = new Map<string, typeof answered>();
  for (const entry of answered) byKey.set(entry.key, [...(byKey.get(entry.key) ?? []), entry]);
  if (byKey.size <= 1) return { divergent: [], repaired: [], undecided: false };
  const groups = [...byKey.values()].sort((a, b) => b.length - a.length);
  const majority = groups[0] as typeof answered;
  if (majority.length * 2 <= answered.length) {
    return {
      divergent: answered.map((entry) => entry.nodeId).sort(),
      repaired: [],
      undecided: true,
    };
  }
  const divergent = groups
    .slice(1)
    .flat()
    .map((entry) => entry.nodeId)
    .sort();
  if (!repair) return { divergent, repaired: [], undecided: false };
  const reference = (majority[0] as (typeof answered)[number]).settings;
  const repaired: string[] = [];
  for (const nodeId of divergent) {
    const answer = await ctx.nodes
      .call<{ taskUid: number }>(nodeId, { method: "PATCH", path, json: reference })
      .catch(() => null);
    if (answer === null || answer.status !== 202 || answer.body === null) continue;
    if (await waitForNodeTask(ctx, nodeId, answer.body.taskUid)) repaired.push(nodeId);
  }
  ctx.metrics.settingsRepairs.inc({ index: indexUid }, repaired.length);
  return { divergent, repaired, undecided: false };
}

/** JSON with object keys sorted, so equal settings compare equal whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : 1,
    );
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
