import type { NodeControl } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

const INDEX = "films";
const SLOW_NODE_MS = 1_500;

/** Node search requests Miroir has sent so far, from its own metrics. */
async function nodeSearches(env: ProxiedCluster): Promise<number> {
  const text = await (await env.miroir("/_miroir/metrics")).text();
  let total = 0;
  for (const line of text.split("\n")) {
    if (
      line.startsWith("miroir_node_request_duration_seconds_count{") &&
      line.includes('operation="POST search"')
    ) {
      total += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return total;
}

describe("identical searches in flight together", () => {
  let env: ProxiedCluster;
  let controls: NodeControl[];

  beforeAll(async () => {
    env = await startProxiedCluster(
      { nodes: 3, shards: 6, relay: true },
      { query_coalescing: { window_ms: 10_000 } },
    );
    controls = env.cluster.nodes.map((node) => node.control as NodeControl);
    const created = await env.miroir("/indexes", json({ uid: INDEX, primaryKey: "id" }));
    await env.waitTask(((await created.json()) as { taskUid: number }).taskUid);
    const added = await env.miroir(
      `/indexes/${INDEX}/documents`,
      json(Array.from({ length: 60 }, (_, id) => ({ id, title: `film ${id % 7} number ${id}` }))),
    );
    await env.waitTask(((await added.json()) as { taskUid: number }).taskUid);
  }, 60_000);
  afterAll(async () => {
    for (const control of controls ?? []) control.delay(0);
    await env?.stop();
  });

  it("50 concurrent identical searches cause one node request per covering node, not 50, and each client gets the whole answer", async () => {
    const before = await nodeSearches(env);
    const alone = await env.miroir(`/indexes/${INDEX}/search`, json({ q: "film 3", limit: 5 }));
    const expected = (await alone.json()) as Record<string, unknown>;
    const perSearch = (await nodeSearches(env)) - before;
    expect(perSearch).toBeGreaterThan(0);
    expect(perSearch).toBeLessThanOrEqual(3);

    // Slow nodes keep the first search in flight while the others arrive.
    for (const control of controls) control.delay(SLOW_NODE_MS);
    try {
      const start = await nodeSearches(env);
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          // The same search written two ways: key order does not matter.
          env.miroir(
            `/indexes/${INDEX}/search`,
            json(i % 2 === 0 ? { q: "film 3", limit: 5 } : { limit: 5, q: "film 3" }),
          ),
        ),
      );
      const bodies = await Promise.all(answers.map((answer) => answer.json()));
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      // Each its own answer: the same hits, its own request uid.
      const same = (body: Record<string, unknown>) => ({
        ...body,
        processingTimeMs: 0,
        requestUid: typeof body.requestUid,
      });
      for (const body of bodies)
        expect(same(body as Record<string, unknown>)).toEqual(same(expected));
      const uids = bodies.map((body) => (body as { requestUid?: string }).requestUid);
      if (uids[0] !== undefined) expect(new Set(uids).size).toBe(50);
      expect((await nodeSearches(env)) - start).toBe(perSearch);
    } finally {
      for (const control of controls) control.delay(0);
    }
  }, 60_000);

  it("does not share different searches, nor a session's read", async () => {
    for (const control of controls) control.delay(SLOW_NODE_MS);
    try {
      const start = await nodeSearches(env);
      const answers = await Promise.all([
        env.miroir(`/indexes/${INDEX}/search`, json({ q: "film 1" })),
        env.miroir(`/indexes/${INDEX}/search`, json({ q: "film 2" })),
        env.miroir(`/indexes/${INDEX}/search`, json({ q: "film 2", offset: 1 })),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      const three = (await nodeSearches(env)) - start;
      const session = (
        await env.miroir(`/indexes/${INDEX}/documents`, json([{ id: 1000, title: "late film" }]))
      ).headers.get("x-miroir-session") as string;
      const mid = await nodeSearches(env);
      const reads = await Promise.all(
        [session, undefined].map((id) =>
          env.miroir(`/indexes/${INDEX}/search`, {
            ...json({ q: "late film" }),
            headers: {
              "content-type": "application/json",
              ...(id === undefined ? {} : { "x-miroir-session": id }),
            },
          }),
        ),
      );
      const sessionAnswer = reads[0] as Response;
      const sessionHits = ((await sessionAnswer.json()) as { hits: { id: number }[] }).hits;
      // The session sees its write, or says it could not wait for it (a loaded machine can
      // keep the slowed nodes past the session's bound).
      if (sessionAnswer.headers.get("x-miroir-session-stale") === null) {
        expect(sessionHits.map((hit) => hit.id)).toContain(1000);
      }
      // Three different searches: three scatters; the session's read and the same search
      // outside the session: two, not one.
      expect(three).toBeGreaterThanOrEqual(3);
      expect((await nodeSearches(env)) - mid).toBeGreaterThanOrEqual((2 * three) / 3);
    } finally {
      for (const control of controls) control.delay(0);
    }
  }, 60_000);
});
