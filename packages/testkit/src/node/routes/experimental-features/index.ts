import { Hono } from "hono";
import { type AccessEnv, authorize } from "../../auth/access.js";
import type { NodeState } from "../../node-state.js";
import { checkKnownFields, expectObject, invalidType, readJson } from "../../request-body.js";

/** The runtime-togglable features of Meilisearch 1.50, in its order, all off on a fresh instance. */
export const EXPERIMENTAL_FEATURES = [
  "metrics",
  "logsRoute",
  "editDocumentsByFunction",
  "containsFilter",
  "dynamicSearchRules",
  "network",
  "getTaskDocumentsRoute",
  "taskQueueCompactionRoute",
  "compositeEmbedders",
  "chatCompletions",
  "multimodal",
  "foreignKeys",
  "disableDocumentsFetchQueue",
  "legacySearch",
  "renderRoute",
] as const;

export type ExperimentalFeature = (typeof EXPERIMENTAL_FEATURES)[number];

export type ExperimentalFeatures = Record<ExperimentalFeature, boolean>;

export function defaultExperimentalFeatures(): ExperimentalFeatures {
  return Object.fromEntries(
    EXPERIMENTAL_FEATURES.map((feature) => [feature, false]),
  ) as ExperimentalFeatures;
}

/**
 * `GET/PATCH /experimental-features`: a PATCH changes the features it names (`null` leaves
 * one as it is) and answers with all of them. `containsFilter` lets searches use `CONTAINS` and
 * `STARTS WITH`; the other switches only record the choice.
 */
export function experimentalFeatureRoutes(state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const { keys } = state;

  app.get("/experimental-features", authorize(keys, "experimental.get"), (c) =>
    c.json(state.features),
  );

  app.patch("/experimental-features", authorize(keys, "experimental.update"), async (c) => {
    const body = expectObject(await readJson(c, state.payloadLimit));
    checkKnownFields(body, EXPERIMENTAL_FEATURES);
    const changes: Partial<ExperimentalFeatures> = {};
    for (const feature of EXPERIMENTAL_FEATURES) {
      const value = body[feature];
      if (value === undefined || value === null) continue;
      if (typeof value !== "boolean") {
        throw invalidType("bad_request", `.${feature}`, "a boolean", value);
      }
      changes[feature] = value;
    }
    Object.assign(state.features, changes);
    return c.json(state.features);
  });

  return app;
}
