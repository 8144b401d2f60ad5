import { describe, expect, it } from "vitest";
import type { StoreLocationFactory } from "../store-locations.js";
import { useStore } from "./store-fixture.js";

const request = (n: number) => ({
  method: "POST",
  path: "/indexes/movies/documents",
  query: { primaryKey: "id" },
  contentType: "application/x-ndjson",
  bodyBase64: Buffer.from(`{"id":${n}}`).toString("base64"),
});

export function convergenceContract(locations: StoreLocationFactory): void {
  describe("hints", () => {
    const fixture = useStore(locations);

    it("lists a node's hints in version order, then by recording order, and removes replayed ones", async () => {
      const { store } = fixture;
      await store.hints.append([
        { nodeId: "n1", indexUid: "movies", version: 30, taskUid: 3, request: request(3) },
        { nodeId: "n2", indexUid: "movies", version: 10, taskUid: 1, request: request(1) },
      ]);
      await store.hints.append([
        { nodeId: "n1", indexUid: "movies", version: 10, taskUid: 1, request: request(1) },
        { nodeId: "n1", indexUid: "books", version: 10, taskUid: 1, request: request(9) },
      ]);
      const n1 = await store.hints.list("n1");
      expect(n1.map((hint) => [hint.version, hint.indexUid])).toEqual([
        [10, "movies"],
        [10, "books"],
        [30, "movies"],
      ]);
      expect(n1[0]?.request).toEqual(request(1));
      expect(await store.hints.pendingByNode()).toEqual(
        new Map([
          ["n1", 3],
          ["n2", 1],
        ]),
      );
      expect((await store.hints.list("n1", 1)).map((hint) => hint.seq)).toEqual([n1[0]?.seq]);
      expect(await store.hints.remove(n1.slice(0, 2).map((hint) => hint.seq))).toBe(2);
      expect((await store.hints.list("n1")).map((hint) => hint.version)).toEqual([30]);
      expect(await store.hints.list("n3")).toEqual([]);
    });

    it("keeps hints across a restart", async () => {
      const { store } = fixture;
      await store.hints.append([
        { nodeId: "n1", indexUid: "movies", version: 7, taskUid: 2, request: request(7) },
      ]);
      const reopened = await fixture.restart();
      expect((await reopened.hints.list("n1")).map((hint) => hint.request)).toEqual([request(7)]);
    });

    it("refuses a hint without a node or an integer version, and writes nothing", async () => {
      const { store } = fixture;
      await expect(
        store.hints.append([
          { nodeId: "", indexUid: "m", version: 1, taskUid: 0, request: request(1) },
        ]),
      ).rejects.toMatchObject({ code: "invalid_input" });
      await expect(
        store.hints.append([
          { nodeId: "n", indexUid: "m", version: 1.5, taskUid: 0, request: request(1) },
        ]),
      ).rejects.toMatchObject({ code: "invalid_input" });
      expect(await store.hints.pendingByNode()).toEqual(new Map());
    });
  });

  describe("tombstones", () => {
    const fixture = useStore(locations);

    it("keeps the newest deletion of each id, clears and prunes by age", async () => {
      const { store, clock } = fixture;
      await store.tombstones.record("movies", ["1", "2"], 50);
      clock.advance(10);
      await store.tombstones.record("movies", ["2", "3"], 40);
      await store.tombstones.record("movies", ["3"], 60);
      await store.tombstones.record("books", ["1"], 5);
      const movies = await store.tombstones.list("movies");
      expect([...movies.values()].map((t) => [t.documentId, t.version]).sort()).toEqual([
        ["1", 50],
        ["2", 50],
        ["3", 60],
      ]);
      expect(await store.tombstones.clear("movies", ["1", "9"])).toBe(1);
      expect(await store.tombstones.prune("movies", clock.time - 5)).toBe(1);
      expect([...(await store.tombstones.list("movies")).keys()]).toEqual(["3"]);
      expect([...(await store.tombstones.list("books")).keys()]).toEqual(["1"]);
    });
  });
}
