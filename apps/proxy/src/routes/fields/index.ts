import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { toMeiliError } from "../../errors/index.js";
import { indexPath, nodeErrorOf } from "../../node-client/index.js";
import { validIndexUid } from "../index-uid.js";
import { type IndexField, mergeFields } from "./merged-fields.js";

/** Large enough for every field of a node in one page. */
const ALL_FIELDS = 1_000_000;

/**
 * `POST /indexes/{uid}/fields`: every node lists its fields under the client's filter, the
 * lists are merged (see `mergeFields`) and the client's `offset`/`limit` applied after.
 * Every node must answer, or some fields could be missing.
 */
export function fieldRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;

  routes.post("/indexes/:indexUid/fields", async (c) => {
    const indexUid = validIndexUid(c.req.param("indexUid"));
    const body = await readJsonBody(c, limit);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw meiliError("bad_request", "Invalid value type: expected an object.");
    }
    const query = body as Record<string, unknown>;
    const offset = count(query.offset, 0, "invalid_index_offset", "offset");
    const pageSize = count(query.limit, 20, "invalid_index_limit", "limit");
    const perNode = await Promise.all(
      ctx.nodes.nodeIds.map(async (nodeId) => {
        const response = await ctx.nodes
          .call<{ results: IndexField[] }>(nodeId, {
            method: "POST",
            path: `${indexPath(indexUid)}/fields`,
            json: { ...query, offset: 0, limit: ALL_FIELDS },
            timeoutMs: ctx.config.connection_pool.request_timeout_ms,
          })
          .catch((error: unknown) => {
            throw toMeiliError(error);
          });
        if (response.status !== 200) throw nodeErrorOf(response);
        return response.body.results;
      }),
    );
    const fields = mergeFields(perNode);
    return c.json({
      results: fields.slice(offset, offset + pageSize),
      offset,
      limit: pageSize,
      total: fields.length,
    });
  });

  return routes;
}

function count(
  value: unknown,
  fallback: number,
  code: "invalid_index_offset" | "invalid_index_limit",
  name: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw meiliError(
      code,
      `Invalid value type at \`.${name}\`: expected a positive integer, but found ${JSON.stringify(value)}`,
    );
  }
  return value;
}
