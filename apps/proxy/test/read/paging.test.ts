import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProxiedCluster } from "../proxy-cluster.js";
import { type Book, search, startLoadedCluster } from "./loaded-cluster.js";

const COUNT = 500;
const PAGES = 25;

let env: ProxiedCluster;

beforeAll(async () => {
  env = await startLoadedCluster({ nodes: 3, shards: 16, rf: 1 }, COUNT);
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

const ids = (body: Record<string, unknown>) => (body.hits as Book[]).map((hit) => hit.id);

describe.each([
  ["a relevance query", { q: "moon river" }],
  ["a placeholder query sorted with ties", { sort: ["year:desc"] }],
  [
    "a filtered query sorted on two attributes",
    { filter: "year > 1950", sort: ["year:asc", "title:desc"] },
  ],
])("pages of 10 of %s", (_name, query) => {
  it("concatenate to the top 10N with no duplicate and no gap, in both paging modes", async () => {
    const top = await search(env, { ...query, limit: 10 * PAGES });
    const expected = ids(top.body);
    expect(expected.length).toBeGreaterThan(10);
    const byPage: number[] = [];
    const byOffset: number[] = [];
    for (let page = 1; page <= PAGES; page++) {
      const paged = await search(env, { ...query, page, hitsPerPage: 10 });
      expect(paged.body).toMatchObject({ page, hitsPerPage: 10 });
      byPage.push(...ids(paged.body));
      const windowed = await search(env, { ...query, offset: (page - 1) * 10, limit: 10 });
      byOffset.push(...ids(windowed.body));
    }
    expect(byPage).toEqual(expected);
    expect(byOffset).toEqual(expected);
    expect(new Set(byPage).size).toBe(byPage.length);
  });
});
