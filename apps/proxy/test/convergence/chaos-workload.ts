import { shardOf } from "@miroir/router";
import { expect } from "vitest";
import type { ProxiedCluster } from "../proxy-cluster.js";

/** One write of the workload: an upsert of `text`, or a deletion. */
interface Operation {
  readonly seq: number;
  readonly id: number;
  readonly kind: "upsert" | "delete";
  /** When the write was known acknowledged (202 and its task succeeded), else undefined. */
  acknowledgedAt?: number;
  outcome: "pending" | "acknowledged" | "refused";
}

const IDS = 60;
const INDEX = "chaos";

/**
 * A client writing and reading one index through Miroir while faults happen: adds,
 * updates and deletes one document at a time (each waited for), and reads single
 * documents in parallel, checking that no read returns a state older than a write
 * acknowledged before the read began. Every loop is bounded in time.
 */
export class ChaosWorkload {
  readonly operations: Operation[] = [];
  readonly staleReads: string[] = [];
  reads = 0;
  private seed = 42;
  private readonly byId = new Map<number, Operation[]>();

  constructor(private readonly env: ProxiedCluster) {}

  private random(): number {
    this.seed = (this.seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return this.seed / 2 ** 31;
  }

  async setUp(): Promise<void> {
    const created = await this.env.miroir("/indexes", jsonInit({ uid: INDEX, primaryKey: "id" }));
    await this.env.waitTask(((await created.json()) as { taskUid: number }).taskUid);
    for (let id = 0; id < IDS / 2; id++) await this.write(id, "upsert");
  }

  /** Writes one operation at a time until `until`; answers how many were acknowledged. */
  async writeUntil(until: number): Promise<number> {
    let acknowledged = 0;
    while (Date.now() < until) {
      const id = Math.floor(this.random() * IDS);
      const present = this.lastAcknowledged(id, Number.POSITIVE_INFINITY)?.kind === "upsert";
      const kind = present && this.random() < 0.3 ? "delete" : "upsert";
      if ((await this.write(id, kind)) === "acknowledged") acknowledged += 1;
    }
    return acknowledged;
  }

  /** Reads random documents until `until`, recording every stale answer. */
  async readUntil(until: number): Promise<void> {
    while (Date.now() < until) {
      const id = Math.floor(this.random() * IDS);
      const started = Date.now();
      const floor = this.lastAcknowledged(id, started);
      const answer = await this.env
        .miroir(`/indexes/${INDEX}/documents/${id}`, { signal: AbortSignal.timeout(15_000) })
        .catch(() => null);
      if (answer === null || (answer.status !== 200 && answer.status !== 404)) continue;
      this.reads += 1;
      const body = (await answer.json()) as { text?: string };
      if (floor === undefined) continue;
      const later = (this.byId.get(id) ?? []).filter((op) => op.seq >= floor.seq);
      const seen =
        answer.status === 200
          ? later.some((op) => op.kind === "upsert" && `w${op.seq}` === body.text)
          : later.some((op) => op.kind === "delete");
      if (!seen) {
        const status = await (await this.env.miroir("/_miroir/repair/status")).text();
        const direct = await Promise.all(
          ["node-0", "node-1", "node-2"].map(async (n) =>
            (await this.env.node(n, `/indexes/${INDEX}/documents/${id}`).catch(() => null))?.text(),
          ),
        );
        this.staleReads.push(
          `document ${id}: read ${answer.status === 200 ? body.text : "absent"} after w${floor.seq} (${floor.kind}) was acknowledged at ${floor.acknowledgedAt}, read started ${started}, ended ${Date.now()}; ${status} ${JSON.stringify(direct)}`,
        );
      }
    }
  }

  /**
   * What each document may be once every replica has converged: the last acknowledged
   * write, or any later one that was refused (it may have reached some replica).
   */
  allowedFinalStates(): Map<number, Set<string>> {
    const allowed = new Map<number, Set<string>>();
    for (const [id, ops] of this.byId) {
      const last = this.lastAcknowledged(id, Number.POSITIVE_INFINITY);
      const candidates = ops.filter((op) => last === undefined || op.seq >= last.seq);
      const states = new Set(candidates.map(stateOf));
      if (last === undefined) states.add("absent");
      allowed.set(id, states);
    }
    return allowed;
  }

  /**
   * What differs from convergence: every replica of a document's shard must hold the same
   * text and version (or none), and that state must be an allowed one.
   */
  async convergenceProblems(shards: number): Promise<string[]> {
    const placement = (await (await this.env.miroir("/_miroir/shards")).json()) as {
      shards: { shard: number; groups: { nodes: string[] }[] }[];
    };
    const replicasOf = new Map(
      placement.shards.map((row) => [row.shard, row.groups.flatMap((group) => group.nodes)]),
    );
    const nodeIds = [...new Set([...replicasOf.values()].flat())];
    const held = new Map(
      await Promise.all(
        nodeIds.map(async (nodeId) => [nodeId, await this.replica(nodeId)] as const),
      ),
    );
    const problems: string[] = [];
    for (const [id, states] of this.allowedFinalStates()) {
      const replicas = replicasOf.get(shardOf(id, shards)) ?? [];
      const copies = replicas.map((nodeId) => held.get(nodeId)?.get(id) ?? "absent");
      if (new Set(copies).size !== 1) {
        problems.push(
          `document ${id} differs: ${replicas.map((n, i) => `${n}=${copies[i]}`).join(" ")}`,
        );
      }
      const state = (copies[0] as string).split("@")[0] as string;
      if (!states.has(state)) {
        problems.push(`document ${id} is ${state}, expected one of ${[...states].join(", ")}`);
      }
    }
    return problems;
  }

  private async replica(nodeId: string): Promise<Map<number, string>> {
    const answer = await this.env.node(nodeId, `/indexes/${INDEX}/documents/fetch`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fields: ["id", "text", "_miroir_updated_at"], limit: 1000 }),
    });
    expect(answer.status).toBe(200);
    const { results } = (await answer.json()) as {
      results: { id: number; text: string; _miroir_updated_at: number }[];
    };
    return new Map(results.map((doc) => [doc.id, `${doc.text}@${doc._miroir_updated_at}`]));
  }

  private lastAcknowledged(id: number, before: number): Operation | undefined {
    const ops = this.byId.get(id) ?? [];
    for (let i = ops.length - 1; i >= 0; i--) {
      const op = ops[i] as Operation;
      if (op.acknowledgedAt !== undefined && op.acknowledgedAt < before) return op;
    }
    return undefined;
  }

  private async write(id: number, kind: Operation["kind"]): Promise<Operation["outcome"]> {
    const op: Operation = { seq: this.operations.length, id, kind, outcome: "pending" };
    this.operations.push(op);
    this.byId.set(id, [...(this.byId.get(id) ?? []), op]);
    const answer = await this.env
      .miroir(
        kind === "upsert"
          ? `/indexes/${INDEX}/documents`
          : `/indexes/${INDEX}/documents/delete-batch`,
        jsonInit(kind === "upsert" ? [{ id, text: `w${op.seq}` }] : [id]),
      )
      .catch(() => null);
    if (answer?.status !== 202) {
      op.outcome = "refused";
      return op.outcome;
    }
    const task = await this.env.waitTask(((await answer.json()) as { taskUid: number }).taskUid);
    op.outcome = task.status === "succeeded" ? "acknowledged" : "refused";
    if (op.outcome === "acknowledged") op.acknowledgedAt = Date.now();
    return op.outcome;
  }
}

function stateOf(op: Operation): string {
  return op.kind === "delete" ? "absent" : `w${op.seq}`;
}

function jsonInit(body: unknown): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  };
}
