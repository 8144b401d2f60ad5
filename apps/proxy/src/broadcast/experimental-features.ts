import type { ProxyContext } from "../context.js";
import type { NodeRequest } from "../node-client/index.js";
import { askNodes, everyAnswer, failureOf, logUndelivered, succeeded } from "./ask-nodes.js";
import { type AgreedFeatures, agreedFeatures, type FeatureSwitches } from "./feature-agreement.js";

const PATH = "/experimental-features";

/**
 * Every node's switches; a node's error is the client's answer, and an unreachable node
 * fails the request, since the cluster's switches cannot be known without it.
 */
async function everyNodeSwitches(ctx: ProxyContext): Promise<Map<string, FeatureSwitches>> {
  const read = await askNodes<FeatureSwitches>(
    ctx,
    ctx.nodes.nodeIds,
    { method: "GET", path: PATH },
    { timeoutMs: ctx.config.connection_pool.request_timeout_ms },
  );
  return everyAnswer(read);
}

/** `GET /experimental-features`: a feature is on only when every node has it on. */
export async function readFeatures(ctx: ProxyContext): Promise<AgreedFeatures> {
  return agreedFeatures([...(await everyNodeSwitches(ctx)).values()]);
}

/**
 * `PATCH /experimental-features`, all or nothing: every node is switched, and when one
 * refuses, the others are switched back to what they had and its error is thrown.
 */
export async function switchFeatures(
  ctx: ProxyContext,
  patch: FeatureSwitches,
): Promise<AgreedFeatures> {
  const before = await everyNodeSwitches(ctx);
  const switched = await askNodes<FeatureSwitches>(ctx, ctx.nodes.nodeIds, {
    method: "PATCH",
    path: PATH,
    json: patch,
  });
  const failed = switched.find((outcome) => !succeeded(outcome));
  if (failed === undefined) {
    return agreedFeatures(switched.map((outcome) => outcome.response?.body as FeatureSwitches));
  }
  const done = switched.filter((outcome) => outcome !== failed && succeeded(outcome));
  const restores = await askNodes(
    ctx,
    done.map((outcome) => outcome.nodeId),
    (nodeId): NodeRequest => ({
      method: "PATCH",
      path: PATH,
      json: restoring(before.get(nodeId) ?? {}, patch),
    }),
  );
  logUndelivered(ctx.logger, restores, "feature switch not undone", "error");
  throw failureOf(failed);
}

/** The values a node had before, for exactly the features a PATCH named. */
function restoring(before: FeatureSwitches, patch: FeatureSwitches): FeatureSwitches {
  return Object.fromEntries(
    Object.keys(patch)
      .filter((name) => name in before)
      .map((name) => [name, before[name] ?? null]),
  );
}
