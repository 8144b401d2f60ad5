import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";
import { indexPath } from "../../node-client/index.js";
import { accepted } from "../answers.js";
import { perNode, runOnEveryNode } from "../backups/every-node-task.js";
import { validIndexUid } from "../index-uid.js";

/**
 * `POST /indexes/{uid}/compact`: every node compacts its part of the index, in the index's
 * write order; one Miroir task whose details give each node's sizes before and after.
 */
export function compactionRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();

  routes.post("/indexes/:indexUid/compact", async (c) => {
    const indexUid = validIndexUid(c.req.param("indexUid"));
    const record = await runOnEveryNode(ctx, {
      queueKey: indexUid,
      task: { indexUid, type: "indexCompaction", details: null },
      request: { method: "POST", path: `${indexPath(indexUid)}/compact` },
      finishedDetails: (recorded, nodeTasks) => ({
        ...recorded,
        nodes: perNode(nodeTasks, (task) => ({
          preCompactionSize: task.details?.preCompactionSize ?? null,
          postCompactionSize: task.details?.postCompactionSize ?? null,
        })),
      }),
    });
    return accepted(record);
  });

  return routes;
}
