/**
 * A node's `/experimental-features` answer: feature name → switched on, or `null` for a
 * feature left unset (Meilisearch's `legacySearch`).
 */
export type FeatureSwitches = Record<string, boolean | null>;

export interface AgreedFeatures {
  /** A feature is on for the cluster only when it is on on every node that answered. */
  readonly features: FeatureSwitches;
  /** Features the nodes do not agree on, sorted. */
  readonly disagreements: string[];
}

/** The cluster's view of the features from every node's switches. */
export function agreedFeatures(perNode: readonly FeatureSwitches[]): AgreedFeatures {
  const names = new Set(perNode.flatMap((switches) => Object.keys(switches)));
  const features: FeatureSwitches = {};
  const disagreements: string[] = [];
  for (const name of names) {
    const first = perNode[0]?.[name];
    if (first !== undefined && perNode.every((switches) => switches[name] === first)) {
      features[name] = first;
      continue;
    }
    const values = perNode.map((switches) => switches[name] === true);
    features[name] = values.every(Boolean);
    if (values.some(Boolean) && !values.every(Boolean)) disagreements.push(name);
  }
  return { features, disagreements: disagreements.sort() };
}
