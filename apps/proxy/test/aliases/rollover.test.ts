import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../cluster-ops/eventually.js";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

type Answer = Record<string, unknown>;

describe("rollover of a write alias by document count", () => {
  let env: ProxiedCluster;
  let written = 0;
  const body = async (response: Response) => (await response.json()) as Answer;
  const policy = async () => body(await env.miroir("/_miroir/rollover/events"));
  const writeBatch = async (size: number) => {
    const documents = Array.from({ length: size }, () => ({ id: written++, kind: "click" }));
    const answer = await env.miroir("/indexes/events/documents", json(documents));
    expect(answer.status).toBe(202);
    const enqueued = await body(answer);
    expect(enqueued.indexUid).toBe("events");
    expect((await env.waitTask(Number(enqueued.taskUid))).status).toBe("succeeded");
  };
  const readTotal = async () => {
    const answer = await env.miroir("/indexes/events-all/search", json({ q: "", limit: 1000 }));
    return ((await body(answer)).hits as Answer[]).map((hit) => Number(hit.id));
  };

  beforeAll(async () => {
    env = await startProxiedCluster(
      { nodes: 2, shards: 4 },
      { ilm: { check_interval_s: 1, safety_lock_older_than_days: 0 } },
    );
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
  });

  it("creates the first generation and both aliases when the policy is set", async () => {
    const set = await env.miroir(
      "/_miroir/rollover/events",
      json(
        { readAlias: "events-all", maxDocuments: 10, keepGenerations: 3, primaryKey: "id" },
        "PUT",
      ),
    );
    expect(set.status).toBe(200);
    expect(await body(set)).toMatchObject({
      name: "events",
      generation: 1,
      writeIndex: "events-000001",
      generations: ["events-000001"],
    });
    const settings = await env.miroir(
      "/indexes/events/settings",
      json({ filterableAttributes: ["kind"] }, "PATCH"),
    );
    expect((await env.waitTask(Number((await body(settings)).taskUid))).status).toBe("succeeded");
  });

  it("rolls over as writes pass the limit; the read alias sees every document; retention drops the oldest", async () => {
    for (const generation of [2, 3, 4]) {
      await writeBatch(12);
      const rolled = await eventually(policy, (answer) => answer.generation === generation, 30_000);
      expect(rolled.writeIndex).toBe(`events-${String(generation).padStart(6, "0")}`);
      if (generation < 4) {
        expect((await readTotal()).sort((a, b) => a - b)).toEqual(
          Array.from({ length: written }, (_, id) => id),
        );
      }
    }
    const settled = await eventually(
      policy,
      (answer) => (answer.generations as string[]).length === 3,
      30_000,
    );
    expect(settled.generations).toEqual(["events-000004", "events-000003", "events-000002"]);
    // The generation leaves the read alias first, then its index is deleted.
    const gone = await eventually(
      async () => (await env.miroir("/indexes/events-000001")).status,
      (status) => status === 404,
      30_000,
    );
    expect(gone).toBe(404);
    // The first 12 documents lived in the deleted generation; every later one is read.
    expect((await readTotal()).sort((a, b) => a - b)).toEqual(
      Array.from({ length: written - 12 }, (_, at) => at + 12),
    );
    const copied = await body(
      await env.miroir("/indexes/events-000004/settings/filterable-attributes"),
    );
    expect(copied).toEqual(["kind"]);
    await writeBatch(3);
    expect((await readTotal()).length).toBe(written - 12);
  }, 120_000);

  it("rolls over on demand and answers 404 for an alias without a policy", async () => {
    const before = Number((await policy()).generation);
    const forcing = await env.miroir("/_miroir/rollover/events/rollover", { method: "POST" });
    const forced = await body(forcing);
    expect(forcing.status, JSON.stringify(forced)).toBe(200);
    expect(forced.rolledTo).toBe(`events-${String(before + 1).padStart(6, "0")}`);
    const missing = await env.miroir("/_miroir/rollover/nothing");
    expect(missing.status).toBe(404);
    expect((await env.miroir("/_miroir/rollover/events", { method: "DELETE" })).status).toBe(204);
  }, 60_000);
});
