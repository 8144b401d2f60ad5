import { askNodes, successfulAnswers } from "../broadcast/ask-nodes.js";
import type { ProxyContext } from "../context.js";

/** `GET /version` as Meilisearch answers it. */
export interface MeiliVersion {
  commitSha: string;
  commitDate: string;
  pkgVersion: string;
}

/**
 * The cluster's version: the lowest node version, since a client may only rely on what
 * every node does. Versions compare as semver (a pre-release is below its release).
 */
export function lowestVersion(versions: readonly MeiliVersion[]): MeiliVersion | undefined {
  return [...versions].sort((a, b) => compareVersions(a.pkgVersion, b.pkgVersion))[0];
}

export function compareVersions(a: string, b: string): number {
  const [coreA = "", preA] = splitVersion(a);
  const [coreB = "", preB] = splitVersion(b);
  const partsA = coreA.split(".").map(Number);
  const partsB = coreB.split(".").map(Number);
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i++) {
    const difference = (partsA[i] ?? 0) - (partsB[i] ?? 0);
    if (difference !== 0 && !Number.isNaN(difference)) return Math.sign(difference);
  }
  if (preA === preB) return 0;
  if (preA === undefined) return 1;
  if (preB === undefined) return -1;
  return preA < preB ? -1 : 1;
}

function splitVersion(version: string): [string, string | undefined] {
  const dash = version.indexOf("-");
  return dash === -1 ? [version, undefined] : [version.slice(0, dash), version.slice(dash + 1)];
}

/** What `/_miroir/topology` warns about when the nodes do not all run one version. */
export function versionWarnings(versions: ReadonlyMap<string, MeiliVersion>): string[] {
  const distinct = new Set([...versions.values()].map((version) => version.pkgVersion));
  if (distinct.size <= 1) return [];
  const lowest = lowestVersion([...versions.values()]);
  const list = [...versions]
    .map(([nodeId, version]) => `${nodeId}=${version.pkgVersion}`)
    .join(", ");
  return [
    `The nodes run different Meilisearch versions (${list}); GET /version answers the lowest, ${lowest?.pkgVersion}.`,
  ];
}

/** Every reachable node's `GET /version`, by node id. */
export async function nodeVersions(ctx: ProxyContext): Promise<Map<string, MeiliVersion>> {
  const read = await askNodes<MeiliVersion>(
    ctx,
    ctx.nodes.nodeIds,
    { method: "GET", path: "/version" },
    // As cheap as a health probe, and asked on every topology read: the probe's timeout.
    { timeoutMs: ctx.config.health.timeout_ms },
  );
  return successfulAnswers(read);
}
