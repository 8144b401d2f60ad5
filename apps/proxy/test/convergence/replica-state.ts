import type { ProxiedCluster } from "../proxy-cluster.js";

/** What one node holds of an index: every document id with its write version. */
export async function replicaState(
  env: Pick<ProxiedCluster, "node">,
  nodeId: string,
  indexUid: string,
): Promise<Map<string, number | null>> {
  const state = new Map<string, number | null>();
  for (let offset = 0, page = 0; page < 200; page++) {
    const answer = await env.node(nodeId, `/indexes/${indexUid}/documents/fetch`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fields: ["id", "_miroir_updated_at"], offset, limit: 1000 }),
    });
    const { results } = (await answer.json()) as {
      results: { id: string | number; _miroir_updated_at?: number }[];
    };
    for (const doc of results) state.set(String(doc.id), doc._miroir_updated_at ?? null);
    if (results.length < 1000) break;
    offset += results.length;
  }
  return state;
}

/** A replica state as sorted `id@version` entries, for equality checks with readable diffs. */
export function entriesOf(state: ReadonlyMap<string, number | null>): string[] {
  return [...state].map(([id, version]) => `${id}@${version}`).sort();
}

export interface RepairStatusAnswer {
  hintsPending: Record<string, number>;
  recovering: string[];
  awaitingFullRepair: string[];
}
