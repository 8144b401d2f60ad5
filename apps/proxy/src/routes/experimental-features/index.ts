import { meiliError } from "@miroir/errors";
import { type Context, Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import { readFeatures, switchFeatures } from "../../broadcast/experimental-features.js";
import type { AgreedFeatures, FeatureSwitches } from "../../broadcast/feature-agreement.js";
import type { ProxyContext } from "../../context.js";

/** Lists the features whose switches differ between nodes (absent when they all agree). */
export const FEATURE_DISAGREEMENT_HEADER = "x-miroir-feature-disagreement";

/**
 * `GET/PATCH /experimental-features`. GET answers a feature as on only when every node has
 * it on, naming disagreements in a header; PATCH switches every node or none.
 */
export function experimentalFeatureRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;

  routes.get("/experimental-features", async (c) => agreedResponse(c, await readFeatures(ctx)));

  routes.patch("/experimental-features", async (c) => {
    const body = await readJsonBody(c, limit);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw meiliError("bad_request", "Invalid value type: expected an object.");
    }
    return agreedResponse(c, await switchFeatures(ctx, body as FeatureSwitches));
  });

  return routes;
}

function agreedResponse(c: Context, { features, disagreements }: AgreedFeatures): Response {
  const headers: Record<string, string> = {};
  if (disagreements.length > 0) headers[FEATURE_DISAGREEMENT_HEADER] = disagreements.join(",");
  return c.json(features, 200, headers);
}
