import type { NodeControl } from "@miroir/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { json, type ProxiedCluster } from "../proxy-cluster.js";
import { type Book, search, startLoadedCluster } from "./loaded-cluster.js";

let env: ProxiedCluster;

beforeAll(async () => {
  env = await startLoadedCluster({ nodes: 3, shards: 16, rf: 1 }, 200);
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

it("merges the first search after a settings change with the new settings", async () => {
  const before = await search(env, { q: "", limit: 100 });
  expect((before.body.hits as Book[]).length).toBe(100);
  expect(before.body.estimatedTotalHits).toBe(200);

  const changed = await env.miroir(
    "/indexes/books/settings",
    json({ pagination: { maxTotalHits: 30 }, distinctAttribute: "genre" }, "PATCH"),
  );
  const task = await env.waitTask(((await changed.json()) as { taskUid: number }).taskUid);
  expect(task.status).toBe("succeeded");

  const after = await search(env, { q: "", limit: 100 });
  const genres = (after.body.hits as Book[]).map((hit) => hit.genre);
  expect(new Set(genres).size).toBe(genres.length);
  expect(genres.length).toBe(4);
  const capped = await search(env, { q: "", limit: 100, distinct: "id" });
  expect((capped.body.hits as Book[]).length).toBe(30);
});

/** Node requests made so far by the proxy, by operation (`POST search`, `GET settings`…). */
async function nodeRequests(): Promise<Map<string, number>> {
  const metric = await env.proxy.context.metrics.nodeRequestDuration.get();
  const counts = new Map<string, number>();
  for (const value of metric.values) {
    if (value.metricName !== "miroir_node_request_duration_seconds_count") continue;
    const operation = String(value.labels.operation);
    counts.set(operation, (counts.get(operation) ?? 0) + value.value);
  }
  return counts;
}

it("sends a search only its covering set's requests once the index's settings are known", async () => {
  await search(env, { q: "moon" });
  const before = await nodeRequests();
  for (let i = 0; i < 5; i++) expect((await search(env, { q: "river" })).status).toBe(200);
  const after = await nodeRequests();
  const grown = (operation: string) => (after.get(operation) ?? 0) - (before.get(operation) ?? 0);
  // The index's distinct attribute (set above) adds, in the same round, each covering
  // node's count of the candidates without distinct: two requests per node.
  expect(grown("POST search")).toBe(5 * 3 * 2);
  expect(grown("GET settings")).toBe(0);
  expect(grown("GET indexes")).toBe(0);
});

it("takes the primary key a write fixed once it finished, even if a search ran while it was held", async () => {
  const created = await env.miroir("/indexes", json({ uid: "keyless" }));
  await env.waitTask(((await created.json()) as { taskUid: number }).taskUid);
  const keyless = (body: Record<string, unknown>) =>
    env.miroir("/indexes/keyless/search", json(body));
  expect((await keyless({ q: "" })).status).toBe(200);

  const controls = env.cluster.nodes.map((node) => node.control as NodeControl);
  const holds = await Promise.all(controls.map((control) => control.holdQueue()));
  const rows = Array.from({ length: 40 }, (_, n) => ({ bookId: n, genre: n % 2 ? "odd" : "even" }));
  const written = await env.miroir("/indexes/keyless/documents", json(rows));
  // Read while the nodes still hold the write: their index has no primary key yet.
  expect((await keyless({ q: "" })).status).toBe(200);
  await Promise.all(holds.map((hold) => hold.release()));
  const task = await env.waitTask(((await written.json()) as { taskUid: number }).taskUid);
  expect(task.status).toBe("succeeded");

  const fetched = await env.miroir("/indexes/keyless/documents/fetch", json({ ids: ["12", "3"] }));
  expect(((await fetched.json()) as { results: unknown[] }).results).toEqual([
    { bookId: 3, genre: "odd" },
    { bookId: 12, genre: "even" },
  ]);
});
