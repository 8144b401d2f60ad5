import { meiliError } from "@miroir/errors";
import type { RolloverPolicyRecord } from "@miroir/taskstore";
import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { evaluatePolicy } from "../../rollover/rollover.js";
import { setPolicy } from "../../rollover/rollover-policy.js";

/**
 * `/_miroir/rollover`: index lifecycle policies of write aliases — list, set (`PUT`), get,
 * roll over now (`POST …/rollover`) and delete (the aliases and indexes stay).
 */
export function adminRolloverRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;
  const view = (policy: RolloverPolicyRecord) => policyView(ctx, policy);

  routes.get("/_miroir/rollover", async (c) => {
    const policies = await ctx.taskStore.rolloverPolicies.list();
    return c.json({ results: policies.map(view), total: policies.length });
  });
  routes.put("/_miroir/rollover/:name", async (c) => {
    const body = await readJsonBody(c, limit);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw invalid(
        "The body must be an object: `{readAlias, maxAgeSeconds?, maxDocuments?, maxSizeBytes?, keepGenerations?, primaryKey?}`.",
      );
    }
    const input = body as Record<string, unknown>;
    if (typeof input.readAlias !== "string") throw invalid("`readAlias` must be a string.");
    const maxAge = limitOf(input, "maxAgeSeconds");
    const policy = await setPolicy(ctx, {
      name: c.req.param("name"),
      readAlias: input.readAlias,
      maxAgeMs: maxAge === null ? null : maxAge * 1000,
      maxDocuments: limitOf(input, "maxDocuments"),
      maxSizeBytes: limitOf(input, "maxSizeBytes"),
      keepGenerations: limitOf(input, "keepGenerations"),
      primaryKey: typeof input.primaryKey === "string" ? input.primaryKey : null,
    });
    return c.json(view(policy));
  });
  routes.get("/_miroir/rollover/:name", async (c) =>
    c.json(view(await policyOr404(ctx, c.req.param("name")))),
  );
  routes.post("/_miroir/rollover/:name/rollover", async (c) => {
    const policy = await policyOr404(ctx, c.req.param("name"));
    const outcome = await evaluatePolicy(ctx, policy.name, true);
    return c.json({ ...outcome, policy: view(await policyOr404(ctx, policy.name)) });
  });
  routes.delete("/_miroir/rollover/:name", async (c) => {
    if (!(await ctx.taskStore.rolloverPolicies.delete(c.req.param("name")))) {
      throw notFound(c.req.param("name"));
    }
    return c.body(null, 204);
  });
  return routes;
}

function policyView(ctx: ProxyContext, policy: RolloverPolicyRecord) {
  return {
    name: policy.name,
    readAlias: policy.readAlias,
    maxAgeSeconds: policy.maxAgeMs === null ? null : policy.maxAgeMs / 1000,
    maxDocuments: policy.maxDocuments,
    maxSizeBytes: policy.maxSizeBytes,
    keepGenerations: policy.keepGenerations,
    generation: policy.generation,
    writeIndex: ctx.aliases.resolve(policy.name)?.indexes[0] ?? null,
    generations: ctx.aliases.resolve(policy.readAlias)?.indexes ?? [],
    createdAt: new Date(policy.createdAt).toISOString(),
    updatedAt: new Date(policy.updatedAt).toISOString(),
  };
}

async function policyOr404(ctx: ProxyContext, name: string): Promise<RolloverPolicyRecord> {
  const policy = await ctx.taskStore.rolloverPolicies.get(name);
  if (policy === null) throw notFound(name);
  return policy;
}

function limitOf(input: Record<string, unknown>, key: string): number | null {
  const value = input[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw invalid(`\`${key}\` must be a positive integer, or null for no limit.`);
  }
  return value;
}

function notFound(name: string) {
  return meiliError("miroir_alias_not_found", `No rollover policy for the alias \`${name}\`.`);
}

function invalid(message: string) {
  return meiliError("miroir_invalid_request", message);
}
