/** A node's `/experimental-features` answer: feature name → switched on. */
export type FeatureSwitches = Record<string, boolean>;

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
    const values = perNode.map((switches) => switches[name] === true);
    features[name] = values.every(Boolean);
    if (values.some(Boolean) && !values.every(Boolean)) disagreements.push(name);
  }
  return { features, disagreements: disagreements.sort() };
}
