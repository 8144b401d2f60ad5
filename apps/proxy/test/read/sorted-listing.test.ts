import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SingleNode, startSingleNode } from "../equivalence/single-node.js";
import { json, type ProxiedCluster } from "../proxy-cluster.js";
import { type Book, books, startLoadedCluster } from "./loaded-cluster.js";

const COUNT = 300;
const SETTINGS = {
  filterableAttributes: ["id", "genre", "year"],
  sortableAttributes: ["year", "title"],
};

let env: ProxiedCluster;
let single: SingleNode;

beforeAll(async () => {
  [env, single] = await Promise.all([
    startLoadedCluster({ nodes: 3, shards: 8, rf: 1 }, COUNT),
    startSingleNode(),
  ]);
  await single.load("books", books(COUNT), SETTINGS);
}, 60_000);

afterAll(async () => {
  await env?.stop();
  await single?.stop();
});

type Listing = { results: Book[]; offset: number; limit: number; total: number };

async function miroirListing(path: string, init?: RequestInit) {
  const response = await env.miroir(path, init);
  return { status: response.status, body: (await response.json()) as Listing };
}

async function singleListing(path: string, body?: unknown) {
  return (await single.call(path, body)) as unknown as Listing;
}

/** Runs of equal `year` as sets, in order: the order one node gives up to ties. */
function yearRuns(results: readonly Book[]): Array<[number, number[]]> {
  const runs: Array<[number, number[]]> = [];
  for (const book of results) {
    const last = runs.at(-1);
    if (last?.[0] === book.year) last[1].push(book.id);
    else runs.push([book.year, [book.id]]);
  }
  return runs.map(([year, ids]) => [year, ids.sort((a, b) => a - b)]);
}

describe("documents listings with sort", () => {
  it("lists documents in the same order as one node, pages and deep offsets included", async () => {
    for (const [offset, limit] of [
      [0, 20],
      [37, 50],
      [250, 100],
      [295, 10],
      [400, 5],
    ] as const) {
      const body = { sort: ["year:desc", "title:asc"], offset, limit };
      const miroir = await miroirListing("/indexes/books/documents/fetch", json(body));
      expect(miroir.status).toBe(200);
      expect(miroir.body).toEqual(await singleListing("/indexes/books/documents/fetch", body));
    }
  });

  it("answers GET with sort like the same fetch, with filter and fields", async () => {
    const query = "sort=title:desc&filter=genre%20%3D%20poetry&fields=title&offset=5&limit=30";
    const miroir = await miroirListing(`/indexes/books/documents?${query}`);
    expect(miroir.status).toBe(200);
    expect(miroir.body).toEqual(await singleListing(`/indexes/books/documents?${query}`));
    expect(Object.keys(miroir.body.results[0] ?? {})).toEqual(["title"]);
  });

  it("keeps equal sort values together, the runs holding the same documents as one node", async () => {
    const body = { sort: ["year:asc"], offset: 40, limit: 120 };
    const miroir = await miroirListing("/indexes/books/documents/fetch", json(body));
    const one = await singleListing("/indexes/books/documents/fetch", body);
    expect(miroir.body.total).toBe(one.total);
    const runs = yearRuns(miroir.body.results);
    const expected = yearRuns(one.results);
    // The window's edge runs may be cut at a different member; inner runs are whole.
    expect(runs.slice(1, -1)).toEqual(expected.slice(1, -1));
    expect(runs.map(([year]) => year)).toEqual(expected.map(([year]) => year));
  });

  it("sorts a listing by ids and refuses a sort the index does not allow, as one node", async () => {
    const ids = [5, 17, 250, 3, 99, 120];
    const body = { ids, sort: ["title:asc"] };
    const miroir = await miroirListing("/indexes/books/documents/fetch", json(body));
    expect(miroir.body).toEqual(await singleListing("/indexes/books/documents/fetch", body));
    const refused = await env.miroir(
      "/indexes/books/documents/fetch",
      json({ sort: ["genre:asc"] }),
    );
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: "invalid_document_sort" });
  });
});
