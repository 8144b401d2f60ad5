import { meiliError } from "@miroir/errors";
import type {
  ExperimentalFeature,
  ExperimentalFeatures,
} from "./routes/experimental-features/index.js";

/** How Meilisearch names each gated feature in its errors, and where it is discussed. */
const NAMES: Partial<Record<ExperimentalFeature, { label: string; discussion: number }>> = {
  chatCompletions: { label: "chat completions", discussion: 835 },
  dynamicSearchRules: { label: "dynamic search rules", discussion: 884 },
  renderRoute: { label: "render_route", discussion: 888 },
  multimodal: { label: "multimodal", discussion: 846 },
};

/**
 * Refuses `what` ("listing the chats", "using the /chats/settings route", …) while the
 * experimental feature it needs is off, in Meilisearch's words.
 */
export function requireFeature(
  features: ExperimentalFeatures,
  feature: ExperimentalFeature,
  what: string,
): void {
  if (features[feature]) return;
  const name = NAMES[feature] ?? { label: feature, discussion: 0 };
  throw meiliError(
    "feature_not_enabled",
    `${what} requires enabling the \`${name.label}\` experimental feature. See https://github.com/orgs/meilisearch/discussions/${name.discussion}`,
  );
}
