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
