import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { indexFields } from "../../reads/fields.js";
import { validIndexUid } from "../index-uid.js";

/** `POST /indexes/{uid}/fields`: the union of every node's fields, paged as one node pages. */
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
    const window = {
      offset: count(query.offset, 0, "invalid_index_offset", "offset"),
      limit: count(query.limit, 20, "invalid_index_limit", "limit"),
    };
    return c.json(await indexFields(ctx, indexUid, query, window));
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
