import { Hono } from "hono";
import { type AccessEnv, authorize, invalidApiKey } from "../../auth/access.js";
import { checkIndexUid } from "../../index-registry.js";
import type { NodeState } from "../../node-state.js";
import { indexStats } from "../indexes/index-stats.js";

/**
 * `POST /indexes/{uid}/compact`: an `indexCompaction` task. The in-memory index has nothing
 * to reclaim, so its size before and after is the same.
 */
export function compactionRoutes(state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const { indexes, tasks, keys } = state;

  app.post("/indexes/:indexUid/compact", authorize(keys, "indexes.update"), (c) => {
    const indexUid = checkIndexUid(c.req.param("indexUid"));
    if (!c.var.access.allows(indexUid)) throw invalidApiKey();
    const summary = tasks.enqueue("indexCompaction", indexUid, {}, () => {
      const size = indexStats(indexes.get(indexUid), false).rawDocumentDbSize;
      return { preCompactionSize: `${size} B`, postCompactionSize: `${size} B` };
    });
    return c.json(summary, 202);
  });

  return app;
}
