import { meiliError } from "@miroir/errors";
import { askAnyNode } from "../broadcast/ask-nodes.js";
import { visibleFaceting } from "../broadcast/node-faceting.js";
import { visibleSettings, withoutShardFilterable } from "../broadcast/shard-filterable.js";
import type { ProxyContext } from "../context.js";
import { expectSuccess, indexPath } from "../node-client/index.js";

/**
 * An index's settings (`setting` names one sub-setting route, e.g.
 * `filterable-attributes`), as a client may see them: settings are identical on every
 * node, so the first node that answers speaks for all (starting from a different node on
 * each read), with `_miroir_shard` and the nodes' faceting hidden. A node's error is the
 * client's answer.
 */
export async function readSettings(
  ctx: ProxyContext,
  indexUid: string,
  setting?: { readonly name: string; readonly route: string },
): Promise<unknown> {
  const path = `${indexPath(indexUid)}/settings${setting === undefined ? "" : `/${setting.route}`}`;
  const ids = ctx.nodes.nodeIds;
  const start = ctx.seq.next() % ids.length;
  const rotated = [...ids.slice(start), ...ids.slice(0, start)];
  const answer = await askAnyNode(ctx, rotated, { method: "GET", path });
  if (answer === undefined) {
    throw meiliError("miroir_node_unreachable", `No node answered \`GET ${path}\`.`);
  }
  const value = expectSuccess(answer);
  if (setting === undefined) {
    const visible = visibleSettings(value) as Record<string, unknown>;
    return "faceting" in visible
      ? { ...visible, faceting: visibleFaceting(visible.faceting) }
      : visible;
  }
  if (setting.name === "faceting") return visibleFaceting(value);
  return setting.name === "filterableAttributes" ? withoutShardFilterable(value) : value;
}
