import type { ClusterOptions } from "@miroir/testkit";
import { expect } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

export type Book = {
  id: number;
  title: string;
  genre: string;
  year: number;
  _miroir_shard?: number;
};

const GENRES = ["fantasy", "poetry", "history", "science"];
const WORDS = ["moon", "river", "stone", "glass", "ember", "north", "tide", "field"];

/** `count` books with a deterministic spread of words, genres and years. */
export function books(count: number): Book[] {
  return Array.from({ length: count }, (_, id) => ({
    id,
    title: `${WORDS[id % WORDS.length]} ${WORDS[(id * 7) % WORDS.length]} ${id}`,
    genre: GENRES[id % GENRES.length] as string,
    year: 1900 + ((id * 37) % 120),
  }));
}

/** A proxied cluster with the index `books` created through Miroir and `count` books loaded. */
export async function startLoadedCluster(
  options: ClusterOptions,
  count: number,
  config: Record<string, unknown> = {},
): Promise<ProxiedCluster> {
  const env = await startProxiedCluster(options, config);
  const taskOf = async (response: Response) =>
    env.waitTask(((await response.json()) as { taskUid: number }).taskUid);
  await taskOf(await env.miroir("/indexes", json({ uid: "books", primaryKey: "id" })));
  const settings = {
    filterableAttributes: ["id", "genre", "year"],
    sortableAttributes: ["year", "title"],
  };
  expect(
    (await taskOf(await env.miroir("/indexes/books/settings", json(settings, "PATCH")))).status,
  ).toBe("succeeded");
  expect(
    (await taskOf(await env.miroir("/indexes/books/documents", json(books(count))))).status,
  ).toBe("succeeded");
  return env;
}

export async function search(
  env: ProxiedCluster,
  body: Record<string, unknown>,
): Promise<{ status: number; degraded: string | null; body: Record<string, unknown> }> {
  const response = await env.miroir("/indexes/books/search", json(body));
  return {
    status: response.status,
    degraded: response.headers.get("x-miroir-degraded"),
    body: (await response.json()) as Record<string, unknown>,
  };
}
