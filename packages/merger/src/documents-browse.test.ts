import { describe, expect, it } from "vitest";
import { mergeDocumentsBrowse, planDocumentsBrowseQuery } from "./documents-browse.js";
import { NodeAnswerError } from "./node-answer-error.js";

const listing = (node: string, ids: Array<number | string>, total = ids.length) => ({
  node,
  body: {
    results: ids.map((id) => ({ id, title: `t${id}`, _miroir_shard: 2 })),
    offset: 0,
    limit: 20,
    total,
  },
});

describe("documents browse", () => {
  it("asks each node for its listing up to the client's last document, restricted to its shards", () => {
    expect(
      planDocumentsBrowseQuery({ offset: 5, limit: 5, filter: "a = 1" }, "id", [1, 2]),
    ).toEqual({
      offset: 0,
      limit: 10,
      filter: ["a = 1", "_miroir_shard IN [1, 2]"],
    });
    expect(planDocumentsBrowseQuery({ fields: ["title"] }, "id", [1])).toMatchObject({
      limit: 20,
      fields: ["title", "id"],
    });
  });

  it("lists the union by primary key with a global offset and limit and the summed total", () => {
    const merged = mergeDocumentsBrowse({ offset: 2, limit: 3 }, "id", [
      listing("n1", [7, 1, "b"], 10),
      listing("n2", [4, 2, "a"], 12),
    ]);
    expect(merged).toEqual({
      results: [4, 7, "a"].map((id) => ({ id, title: `t${id}` })),
      offset: 2,
      limit: 3,
      total: 22,
    });
  });

  it("drops the primary key when only Miroir asked for it", () => {
    const merged = mergeDocumentsBrowse({ fields: ["title"] }, "id", [listing("n1", [2, 1])]);
    expect(merged.results).toEqual([{ title: "t1" }, { title: "t2" }]);
    expect(merged).toMatchObject({ offset: 0, limit: 20, total: 2 });
  });

  it("reports a node whose listing is malformed", () => {
    expect(() => mergeDocumentsBrowse({}, "id", [{ node: "n1", body: { results: [] } }])).toThrow(
      NodeAnswerError,
    );
    expect(() =>
      mergeDocumentsBrowse({}, "id", [{ node: "n1", body: { results: [3], total: 1 } }]),
    ).toThrow(NodeAnswerError);
  });
});
