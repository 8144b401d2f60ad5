import { shardOf, withShards, writeTargets } from "@miroir/router";
import type { ClusterNode } from "@miroir/testkit";
import { json, type MoveClient } from "../rebalance/move-workload.js";

export const INDEX = "catalog";
/** Live documents: ids from LIVE_BASE on, written and deleted during the reshard. */
const LIVE_BASE = 1_000_000;
const LIVE_IDS = 300;

type Doc = { id: number; text: string; group: "bulk" | "live" };

/** Documents of the bulk load: `MIROIR_RESHARD_DOCS`, or a count CI runs quickly. */
export function bulkCount(fallback: number): number {
  const given = Number(process.env.MIROIR_RESHARD_DOCS);
  return Number.isInteger(given) && given > 0 ? given : fallback;
}

export interface ReshardView {
  id: string;
  name: string;
  source: string;
  target: string;
  fromShards: number;
  toShards: number;
  phase: string;
  status: string;
  documentsCopied: number;
  documentsTotal: number | null;
  verified: { documents: number; digest: string } | null;
  waitingForWindow: boolean;
  runs: number;
  error: string | null;
}

/** Polls one task (through `call`) until it ends; answers its status or `unfinished`. */
async function taskStatus(call: () => Promise<Response>, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const answer = await call().catch(() => null);
    if (answer?.status === 200) {
      const { status } = (await answer.json()) as { status: string };
      if (status === "succeeded" || status === "failed" || status === "canceled") return status;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return "unfinished";
}

/**
 * A bulk of documents loaded once, and a client that writes (adds, updates, deletes) live
 * documents through Miroir — each batch waited for, then fed to the reference node — and
 * searches: every search must count the whole bulk and hold every live document
 * acknowledged before it began (and none acknowledged deleted).
 */
export class ReshardWorkload {
  private readonly acknowledged = new Map<number, Doc | null>();
  private readonly inFlight = new Map<number, number>();
  private readonly uncertain = new Set<number>();
  readonly problems: string[] = [];
  searches = 0;
  writes = 0;
  private seed = 11;
  private seq = 0;

  constructor(
    private readonly env: MoveClient,
    readonly bulk: number,
  ) {}

  private random(): number {
    this.seed = (this.seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return this.seed / 2 ** 31;
  }

  private async miroirTask(answer: Response): Promise<string> {
    if (answer.status !== 202) return `answered ${answer.status}: ${await answer.text()}`;
    const { taskUid } = (await answer.json()) as { taskUid: number };
    return taskStatus(() => this.env.miroir(`/tasks/${taskUid}`));
  }

  private async referenceTask(answer: Response): Promise<void> {
    const { taskUid } = (await answer.json()) as { taskUid: number };
    const status = await taskStatus(() => this.env.node(this.env.reference, `/tasks/${taskUid}`));
    if (status !== "succeeded") throw new Error(`reference task ${taskUid} ended ${status}`);
  }

  async setUp(): Promise<void> {
    const index = json({ uid: INDEX, primaryKey: "id" });
    const settings = json({ filterableAttributes: ["group"] }, "PATCH");
    for (const step of [
      () => this.env.miroir("/indexes", index),
      () => this.env.miroir(`/indexes/${INDEX}/settings`, settings),
    ]) {
      const status = await this.miroirTask(await step());
      if (status !== "succeeded") throw new Error(`set-up step ended ${status}`);
    }
    await this.referenceTask(await this.env.node(this.env.reference, "/indexes", index));
    await this.referenceTask(
      await this.env.node(this.env.reference, `/indexes/${INDEX}/settings`, settings),
    );
    const size = 5_000;
    for (let start = 0; start < this.bulk; start += size) {
      const batch = Array.from({ length: Math.min(size, this.bulk - start) }, (_, i) => ({
        id: start + i,
        text: `bulk document ${start + i}`,
        group: "bulk",
      }));
      const status = await this.miroirTask(
        await this.env.miroir(`/indexes/${INDEX}/documents`, json(batch)),
      );
      if (status !== "succeeded") throw new Error(`bulk batch ended ${status}`);
    }
  }

  private doc(id: number): Doc {
    this.seq += 1;
    return { id, text: `live document ${id} version ${this.seq}`, group: "live" };
  }

  async writeUntil(until: () => boolean): Promise<void> {
    while (!until()) {
      const ids = [
        ...new Set(
          Array.from({ length: 5 }, () => LIVE_BASE + Math.floor(this.random() * LIVE_IDS)),
        ),
      ];
      if (this.random() < 0.25)
        await this.send(
          "delete",
          ids.map((id) => ({ id }) as Doc),
        );
      else
        await this.send(
          "upsert",
          ids.map((id) => this.doc(id)),
        );
    }
  }

  private async send(kind: "upsert" | "delete", docs: Doc[]): Promise<void> {
    const path =
      kind === "upsert"
        ? `/indexes/${INDEX}/documents`
        : `/indexes/${INDEX}/documents/delete-batch`;
    const body = kind === "upsert" ? docs : docs.map((doc) => doc.id);
    for (const doc of docs) this.inFlight.set(doc.id, (this.inFlight.get(doc.id) ?? 0) + 1);
    try {
      const answer = await this.env.miroir(path, json(body)).catch(() => null);
      const status = answer === null ? "no answer" : await this.miroirTask(answer);
      if (status !== "succeeded") {
        // A client error or a write that did not succeed: the switch must cause none.
        this.problems.push(`${kind} of ${docs.map((doc) => doc.id).join(",")}: ${status}`);
        for (const doc of docs) this.uncertain.add(doc.id);
        return;
      }
      for (const doc of docs) {
        this.acknowledged.set(doc.id, kind === "upsert" ? doc : null);
        this.uncertain.delete(doc.id);
      }
      this.writes += 1;
      await this.referenceTask(await this.env.node(this.env.reference, path, json(body)));
    } finally {
      for (const doc of docs) {
        const left = (this.inFlight.get(doc.id) ?? 1) - 1;
        if (left === 0) this.inFlight.delete(doc.id);
        else this.inFlight.set(doc.id, left);
      }
    }
  }

  async searchUntil(until: () => boolean): Promise<void> {
    while (!until()) {
      const before = new Map(this.acknowledged);
      const pending = new Set([...this.inFlight.keys(), ...this.uncertain]);
      const [live, bulk] = await Promise.all([
        this.env
          .miroir(`/indexes/${INDEX}/search`, json({ q: "", limit: 1000, filter: "group = live" }))
          .catch(() => null),
        this.env
          .miroir(
            `/indexes/${INDEX}/search`,
            json({ q: "", hitsPerPage: 1, filter: "group = bulk" }),
          )
          .catch(() => null),
      ]);
      this.searches += 1;
      for (const answer of [live, bulk]) {
        if (answer === null || answer.status !== 200) {
          this.problems.push(`search answered ${answer?.status ?? "nothing"}`);
        }
      }
      if (live?.status !== 200 || bulk?.status !== 200) continue;
      const { totalHits } = (await bulk.json()) as { totalHits: number };
      if (totalHits !== this.bulk)
        this.problems.push(`a search counted ${totalHits} bulk documents`);
      const { hits } = (await live.json()) as { hits: Doc[] };
      const seen = new Set<number>();
      for (const hit of hits) {
        if (seen.has(hit.id)) this.problems.push(`document ${hit.id} returned twice`);
        seen.add(hit.id);
      }
      for (const [id, doc] of before) {
        if (pending.has(id) || this.inFlight.has(id) || this.uncertain.has(id)) continue;
        if (doc !== null && !seen.has(id))
          this.problems.push(`document ${id} missing from a search`);
        if (doc === null && seen.has(id)) this.problems.push(`deleted document ${id} returned`);
      }
    }
  }

  /** The live documents through Miroir equal the reference node's; the bulk is all there. */
  async finalProblems(): Promise<string[]> {
    const problems: string[] = [];
    const read = async (fetcher: (path: string, init: RequestInit) => Promise<Response>) => {
      const answer = await fetcher(
        `/indexes/${INDEX}/documents/fetch`,
        json({ limit: 10_000, filter: "group = live", fields: ["id", "text", "group"] }),
      );
      const { results } = (await answer.json()) as { results: Doc[] };
      return new Map(results.map((doc) => [doc.id, JSON.stringify(doc)]));
    };
    const through = await read((path, init) => this.env.miroir(path, init));
    const reference = await read((path, init) => this.env.node(this.env.reference, path, init));
    for (const [id, doc] of reference) {
      if (through.get(id) !== doc) problems.push(`document ${id}: ${through.get(id)} vs ${doc}`);
    }
    for (const id of through.keys()) {
      if (!reference.has(id)) problems.push(`document ${id} is not in the reference`);
    }
    for (const [id, doc] of this.acknowledged) {
      const expected = doc === null ? undefined : JSON.stringify(doc);
      if (reference.get(id) !== expected) problems.push(`reference ${id} differs from the model`);
    }
    const stats = await this.env.miroir(`/indexes/${INDEX}/stats`);
    const { numberOfDocuments } = (await stats.json()) as { numberOfDocuments: number };
    if (numberOfDocuments !== this.bulk + reference.size) {
      problems.push(`${numberOfDocuments} documents, expected ${this.bulk + reference.size}`);
    }
    return problems;
  }
}

/** Starts a reshard of `INDEX` and polls it to its end (bounded); answers its last view. */
export async function reshard(
  env: Pick<MoveClient, "miroir">,
  shards: number,
  timeoutMs = 150_000,
  until?: (view: ReshardView) => boolean,
): Promise<ReshardView> {
  const started = await env.miroir(`/_miroir/indexes/${INDEX}/reshard`, json({ shards }));
  if (started.status !== 202)
    throw new Error(`reshard answered ${started.status}: ${await started.text()}`);
  const { id } = (await started.json()) as { id: string };
  return waitForReshard(
    env,
    timeoutMs,
    (view) => view.id === id && (until?.(view) ?? view.status !== "processing"),
  );
}

export async function waitForReshard(
  env: Pick<MoveClient, "miroir">,
  timeoutMs = 150_000,
  until: (view: ReshardView) => boolean = (view) => view.status !== "processing",
): Promise<ReshardView> {
  const deadline = Date.now() + timeoutMs;
  let last: ReshardView | undefined;
  while (Date.now() < deadline) {
    const answer = await env.miroir(`/_miroir/indexes/${INDEX}/reshard`).catch(() => null);
    if (answer?.status === 200) {
      last = (await answer.json()) as ReshardView;
      if (until(last)) return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the reshard did not get there in time: ${JSON.stringify(last)}`);
}

/**
 * Every node holds exactly the documents of `index` whose shard (by `shards`) it owns, each
 * tagged with that shard: the placement of an index with its own shard count.
 */
export async function placementProblems(
  env: MoveClient,
  nodes: readonly ClusterNode[],
  topology: Parameters<typeof withShards>[0],
  index: string,
  shards: number,
): Promise<string[]> {
  const problems: string[] = [];
  const placed = withShards(topology, shards);
  const seen = new Map<number, number>();
  for (const node of nodes) {
    const answer = await env.node(
      node,
      `/indexes/${index}/documents/fetch`,
      json({ limit: 1_000_000, fields: ["id", "_miroir_shard"] }),
    );
    if (answer.status !== 200) {
      problems.push(`${node.id} answered ${answer.status} for ${index}`);
      continue;
    }
    const { results } = (await answer.json()) as {
      results: { id: number; _miroir_shard: number }[];
    };
    for (const doc of results) {
      const shard = shardOf(String(doc.id), shards);
      if (doc._miroir_shard !== shard) problems.push(`${doc.id} tagged shard ${doc._miroir_shard}`);
      if (!writeTargets(shard, placed).includes(node.id)) {
        problems.push(`${node.id} holds ${doc.id} of shard ${shard}, which it does not own`);
      }
      seen.set(doc.id, (seen.get(doc.id) ?? 0) + 1);
    }
  }
  const copies = placed.replicationFactor * placed.replicaGroups;
  for (const [id, count] of seen) {
    if (count !== copies) problems.push(`${id} held ${count} times, not ${copies}`);
  }
  return problems.slice(0, 20);
}
