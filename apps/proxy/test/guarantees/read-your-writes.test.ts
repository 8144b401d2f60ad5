import type { NodeControl } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type TopologyAnswer } from "../cluster-ops/eventually.js";
import type { RepairStatusAnswer } from "../convergence/replica-state.js";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

const INDEX = "notes";
const MAX_WAIT_MS = 1_500;

function inSession(session: string | undefined, init: RequestInit): RequestInit {
  const headers = new Headers(init.headers);
  if (session !== undefined) headers.set("x-miroir-session", session);
  return { ...init, headers };
}

interface SessionRead {
  readonly found: boolean;
  readonly stale: string | null;
}

describe("read-your-writes sessions (RF 2)", () => {
  let env: ProxiedCluster;
  let controls: NodeControl[];

  beforeAll(async () => {
    env = await startProxiedCluster(
      { nodes: 2, rf: 2, shards: 4 },
      {
        health: {
          interval_ms: 300,
          timeout_ms: 250,
          unhealthy_threshold: 2,
          recovery_threshold: 1,
        },
        scatter: { node_timeout_ms: 1_000 },
        session_pinning: { max_wait_ms: MAX_WAIT_MS },
        anti_entropy: { schedule: "every 1h" },
      },
    );
    controls = env.cluster.nodes.map((node) => node.control as NodeControl);
    const created = await env.miroir("/indexes", json({ uid: INDEX, primaryKey: "id" }));
    await env.waitTask(((await created.json()) as { taskUid: number }).taskUid);
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
  });

  async function write(session: string | undefined, id: number): Promise<string> {
    const answer = await env.miroir(
      `/indexes/${INDEX}/documents`,
      inSession(session, json([{ id, text: `note${id}` }])),
    );
    expect(answer.status).toBe(202);
    const returned = answer.headers.get("x-miroir-session");
    expect(returned).not.toBeNull();
    return returned as string;
  }

  async function searchFor(session: string, id: number): Promise<SessionRead> {
    const answer = await env.miroir(
      `/indexes/${INDEX}/search`,
      inSession(session, json({ q: `note${id}` })),
    );
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { hits: { id: number }[] };
    return {
      found: body.hits.some((hit) => hit.id === id),
      stale: answer.headers.get("x-miroir-session-stale"),
    };
  }

  it("gives a session id on the first write, keeps the one given, refuses a malformed one", async () => {
    const session = await write(undefined, 1);
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    expect(await write(session, 2)).toBe(session);
    const malformed = await env.miroir(
      `/indexes/${INDEX}/search`,
      inSession("has space", json({ q: "" })),
    );
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { code: string }).code).toBe("miroir_invalid_request");
  });

  it("with one replica SIGSTOPped right after each write, the session's next search finds the write or says it could not", async () => {
    const session = await write(undefined, 100);
    const paused = controls[1] as NodeControl;
    for (let round = 0; round < 3; round++) {
      const id = 200 + round;
      // RF 2 needs both replicas for a write: the paused one must have caught up first.
      await untilNoReplicaRecovers();
      await write(session, id);
      paused.pause();
      try {
        for (let read = 0; read < 3; read++) {
          const seen = await searchFor(session, id);
          expect(seen.found || seen.stale !== null, `round ${round} read ${read}`).toBe(true);
          expect(seen.found).toBe(true);
        }
      } finally {
        paused.resume();
      }
    }
  }, 60_000);

  it("waits for a replica to apply the write, without a stale header", async () => {
    await untilNoReplicaRecovers();
    const session = await write(undefined, 300);
    const holds = await Promise.all(controls.map((control) => control.holdQueue()));
    await write(session, 301);
    const read = searchFor(session, 301);
    await new Promise((resolve) => setTimeout(resolve, MAX_WAIT_MS / 5));
    await holds[0]?.release();
    expect(await read).toEqual({ found: true, stale: null });
    await holds[1]?.release();
  }, 60_000);

  it("says in X-Miroir-Session-Stale which write it could not wait for, when no replica applied it in time", async () => {
    await untilNoReplicaRecovers();
    const session = await write(undefined, 400);
    const holds = await Promise.all(controls.map((control) => control.holdQueue()));
    try {
      await write(session, 401);
      const lastWrite = await lastTaskOf(session);
      const seen = await searchFor(session, 401);
      expect(seen).toEqual({ found: false, stale: String(lastWrite) });
      // Reads outside the session are not held back.
      const outside = await env.miroir(`/indexes/${INDEX}/search`, json({ q: "" }));
      expect(outside.headers.get("x-miroir-session-stale")).toBeNull();
    } finally {
      for (const hold of holds) await hold.release();
    }
    expect(await searchFor(session, 401)).toEqual({ found: true, stale: null });
  }, 60_000);

  async function untilNoReplicaRecovers(): Promise<void> {
    await eventually(
      async () => ({
        repair: (await (await env.miroir("/_miroir/repair/status")).json()) as RepairStatusAnswer,
        topology: (await (await env.miroir("/_miroir/topology")).json()) as TopologyAnswer,
      }),
      ({ repair, topology }) =>
        repair.recovering.length === 0 &&
        topology.nodes.every((node) => node.health === "healthy" || node.health === null),
      30_000,
    );
  }

  /** The session's last write, read back from the admin task list (the newest task). */
  async function lastTaskOf(_session: string): Promise<number> {
    const page = (await (await env.miroir(`/tasks?indexUids=${INDEX}&limit=1`)).json()) as {
      results: { uid: number }[];
    };
    return page.results[0]?.uid ?? -1;
  }
});
