import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { accessOf } from "../../auth/index.js";
import { readJsonBody } from "../../body/read-body.js";
import {
  createIndex,
  deleteIndex,
  swapIndexes,
  updateIndex,
} from "../../broadcast/index-lifecycle.js";
import type { ProxyContext } from "../../context.js";
import { getIndex, listIndexes } from "../../reads/indexes.js";
import { accepted } from "../answers.js";
import { validIndexUid } from "../index-uid.js";

/** Index lifecycle: broadcast writes, reads merged from every node. */
export function indexRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;

  routes.get("/indexes", async (c) => {
    const window = {
      offset: count(c.req.query("offset"), 0, "invalid_index_offset", "offset"),
      limit: count(c.req.query("limit"), 20, "invalid_index_limit", "limit"),
    };
    const access = accessOf(c);
    return c.json(await listIndexes(ctx, (uid) => access.allowsIndex(uid), window));
  });

  routes.get("/indexes/:indexUid", async (c) =>
    c.json(await getIndex(ctx, c.req.param("indexUid"))),
  );

  routes.post("/indexes", async (c) => {
    const body = object(await readJsonBody(c, limit));
    if (body.uid === undefined) throw meiliError("missing_index_uid", "Missing field `uid`");
    if (typeof body.uid !== "string") {
      throw meiliError(
        "invalid_index_uid",
        `Invalid value type at \`.uid\`: expected a string, but found ${JSON.stringify(body.uid)}`,
      );
    }
    return accepted(await createIndex(ctx, validIndexUid(body.uid), primaryKeyOf(body.primaryKey)));
  });

  routes.patch("/indexes/:indexUid", async (c) => {
    const body = object(await readJsonBody(c, limit));
    const primaryKey = primaryKeyOf(body.primaryKey);
    const newUid = newUidOf(body.uid);
    return accepted(await updateIndex(ctx, c.req.param("indexUid"), primaryKey, newUid));
  });

  routes.delete("/indexes/:indexUid", async (c) =>
    accepted(await deleteIndex(ctx, c.req.param("indexUid"))),
  );

  routes.post("/swap-indexes", async (c) => {
    const body = await readJsonBody(c, limit);
    if (!Array.isArray(body)) {
      throw meiliError(
        "invalid_swap_indexes",
        "Invalid value type: expected an array of `{ indexes: [string, string] }` objects.",
      );
    }
    for (const swap of body as { indexes?: unknown }[]) {
      if (
        !Array.isArray(swap?.indexes) ||
        swap.indexes.length !== 2 ||
        !swap.indexes.every((uid) => typeof uid === "string")
      ) {
        throw meiliError(
          "invalid_swap_indexes",
          "Invalid value at `.indexes`: each swap must name exactly two indexes.",
        );
      }
    }
    return accepted(await swapIndexes(ctx, body as { indexes: string[]; rename?: boolean }[]));
  });

  return routes;
}

function object(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw meiliError("bad_request", "Invalid value type: expected an object.");
  }
  return body as Record<string, unknown>;
}

/** The new uid of a rename (`uid` in the body), checked as a node checks it. */
function newUidOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") {
    throw meiliError(
      "invalid_index_uid",
      `Invalid value type at \`.uid\`: expected a string, but found ${JSON.stringify(value)}`,
    );
  }
  return validIndexUid(value);
}

function primaryKeyOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") {
    throw meiliError(
      "invalid_index_primary_key",
      `Invalid value type at \`.primaryKey\`: expected a string, but found ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function count(
  raw: string | undefined,
  fallback: number,
  code: "invalid_index_offset" | "invalid_index_limit",
  name: string,
): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) {
    throw meiliError(
      code,
      `Invalid value in parameter \`${name}\`: could not parse \`${raw}\` as a positive integer`,
    );
  }
  return Number(raw);
}
