import { meiliError } from "@miroir/errors";
import type { AliasRecord } from "@miroir/taskstore";
import { Hono } from "hono";
import { createAlias, deleteAlias, getAlias, switchAlias } from "../../aliases/alias-changes.js";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";

/**
 * `/_miroir/aliases`: list, create (`POST {name, indexes}`), get, switch
 * (`PUT {indexes, expectedVersion?}`, atomic) and delete index aliases.
 */
export function adminAliasRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;

  routes.get("/_miroir/aliases", async (c) => {
    const aliases = await ctx.taskStore.aliases.list();
    return c.json({ results: aliases.map(aliasView), total: aliases.length });
  });
  routes.post("/_miroir/aliases", async (c) => {
    const body = objectBody(await readJsonBody(c, limit), "{name, indexes}");
    if (typeof body.name !== "string") throw invalid("`name` must be a string.");
    const created = await createAlias(ctx, body.name, { indexes: body.indexes as string[] });
    return c.json(aliasView(created), 201);
  });
  routes.get("/_miroir/aliases/:name", async (c) =>
    c.json(aliasView(await getAlias(ctx, c.req.param("name")))),
  );
  routes.put("/_miroir/aliases/:name", async (c) => {
    const body = objectBody(await readJsonBody(c, limit), "{indexes, expectedVersion?}");
    const expected = body.expectedVersion;
    if (expected !== undefined && !Number.isInteger(expected)) {
      throw invalid("`expectedVersion` must be an integer.");
    }
    const switched = await switchAlias(
      ctx,
      c.req.param("name"),
      { indexes: body.indexes as string[] },
      expected as number | undefined,
    );
    return c.json(aliasView(switched));
  });
  routes.delete("/_miroir/aliases/:name", async (c) => {
    await deleteAlias(ctx, c.req.param("name"));
    return c.body(null, 204);
  });
  return routes;
}

/** An alias as the admin API shows it, dates in RFC 3339. */
export function aliasView(alias: AliasRecord) {
  return {
    name: alias.name,
    indexes: alias.indexes,
    version: alias.version,
    createdAt: new Date(alias.createdAt).toISOString(),
    updatedAt: new Date(alias.updatedAt).toISOString(),
    history: alias.history.map((flip) => ({
      indexes: flip.indexes,
      version: flip.version,
      until: new Date(flip.until).toISOString(),
    })),
  };
}

function objectBody(body: unknown, shape: string): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid(`The body must be an object: \`${shape}\`.`);
  }
  return body as Record<string, unknown>;
}

function invalid(message: string) {
  return meiliError("miroir_invalid_request", message);
}
