import { MeiliError, meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { toMeiliError } from "../../errors/index.js";
import { type NodeRequest, type NodeResponse, nodeErrorOf } from "../../node-client/index.js";
import { agreedFeatures, type FeatureSwitches } from "./feature-agreement.js";

/** Lists the features whose switches differ between nodes (absent when they all agree). */
export const FEATURE_DISAGREEMENT_HEADER = "x-miroir-feature-disagreement";

const PATH = "/experimental-features";

/**
 * `GET/PATCH /experimental-features`. GET asks every node and answers a feature as on only
 * when every node has it on, naming disagreements in a header; PATCH is all or nothing:
 * every node is switched, and when one refuses, the others are switched back.
 */
export function experimentalFeatureRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;

  routes.get(PATH, async (c) => {
    const answers = await everyNode<FeatureSwitches>(ctx, { method: "GET", path: PATH });
    return agreedResponse(
      c.json.bind(c),
      answers.map((answer) => answer.body),
    );
  });

  routes.patch(PATH, async (c) => {
    const body = await readJsonBody(c, limit);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw meiliError("bad_request", "Invalid value type: expected an object.");
    }
    const before = new Map(
      (await everyNode<FeatureSwitches>(ctx, { method: "GET", path: PATH })).map((answer) => [
        answer.nodeId,
        answer.body,
      ]),
    );
    const settled = await Promise.all(
      ctx.nodes.nodeIds.map((nodeId) =>
        ctx.nodes.call<FeatureSwitches>(nodeId, { method: "PATCH", path: PATH, json: body }).then(
          (response) => ({ nodeId, response, error: undefined }),
          (error: unknown) => ({ nodeId, response: undefined, error }),
        ),
      ),
    );
    const failed = settled.find(
      (outcome) => outcome.response === undefined || outcome.response.status >= 300,
    );
    if (failed !== undefined) {
      const switched = settled.filter(
        (outcome) => outcome !== failed && outcome.response?.status === 200,
      );
      await Promise.all(
        switched.map((outcome) =>
          ctx.nodes
            .call(outcome.nodeId, {
              method: "PATCH",
              path: PATH,
              json: restoring(before.get(outcome.nodeId) ?? {}, body as FeatureSwitches),
            })
            .catch((error: unknown) =>
              ctx.logger.error({ err: error, nodeId: outcome.nodeId }, "feature switch not undone"),
            ),
        ),
      );
      throw failed.response !== undefined
        ? nodeErrorOf(failed.response)
        : toMeiliError(failed.error);
    }
    return agreedResponse(
      c.json.bind(c),
      settled.map((outcome) => outcome.response?.body as FeatureSwitches),
    );
  });

  return routes;
}

function agreedResponse(
  json: (body: object, status: 200, headers: Record<string, string>) => Response,
  perNode: readonly FeatureSwitches[],
): Response {
  const { features, disagreements } = agreedFeatures(perNode);
  const headers: Record<string, string> = {};
  if (disagreements.length > 0) headers[FEATURE_DISAGREEMENT_HEADER] = disagreements.join(",");
  return json(features, 200, headers);
}

/** The values a node had before, for exactly the features a PATCH named. */
function restoring(before: FeatureSwitches, patch: FeatureSwitches): FeatureSwitches {
  return Object.fromEntries(
    Object.keys(patch)
      .filter((name) => name in before)
      .map((name) => [name, before[name] === true]),
  );
}

/**
 * Every node's answer; a node's error is the client's answer, and an unreachable node
 * fails the request, since the cluster's switches cannot be known without it.
 */
async function everyNode<T>(ctx: ProxyContext, request: NodeRequest): Promise<NodeResponse<T>[]> {
  return Promise.all(
    ctx.nodes.nodeIds.map(async (nodeId) => {
      const response = await ctx.nodes.call<T>(nodeId, {
        ...request,
        timeoutMs: ctx.config.connection_pool.request_timeout_ms,
      });
      if (response.status >= 300) throw nodeErrorOf(response);
      return response;
    }),
  ).catch((error: unknown) => {
    throw error instanceof MeiliError ? error : toMeiliError(error);
  });
}
