import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { gather, onlyAnswerOf } from "../../scatter/read-pipeline.js";
import { openRead } from "../../scatter/read-scope.js";

/**
 * `POST /render-template`: a render reads only what the request names and the index's
 * settings, which every node holds alike, so one node answers (a replica of a shard
 * picked at random, another replica when it fails). The node's own errors, its
 * `renderRoute` switch included, pass through. An `indexDocument` input names a stored
 * document, which the node holds with Miroir's own fields: it is refused.
 */
export function renderTemplateRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;

  routes.post("/render-template", async (c) => {
    const body = await readJsonBody(c, limit);
    const input = (body as { input?: unknown } | null)?.input;
    if (
      typeof input === "object" &&
      input !== null &&
      (input as { kind?: unknown }).kind === "indexDocument"
    ) {
      throw meiliError(
        "feature_not_enabled",
        "`/render-template` with an `indexDocument` input is not available through Miroir: the node holding the document stores Miroir's own fields with it. Fetch the document through Miroir and send it as an `inlineDocument` input. See Miroir's docs/compatibility.md.",
      );
    }
    const scope = openRead(ctx);
    const shard = Math.floor(Math.random() * scope.topology.shards);
    const { body: rendered } = await gather(ctx, scope, {
      shards: [shard],
      request: () => ({ method: "POST", path: "/render-template", json: body }),
      check: (reply) => reply.body as object,
      merge: onlyAnswerOf<object>(shard),
    });
    return c.json(rendered);
  });
  return routes;
}
