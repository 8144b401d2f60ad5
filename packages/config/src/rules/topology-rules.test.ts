import { describe, expect, it } from "vitest";
import { validate } from "../parse-config.js";

const node = (id: string, replica_group = 0, address = `http://${id}:7700`) => ({
  id,
  address,
  replica_group,
});

describe("replica groups", () => {
  it("accepts nodes spread over every group", () => {
    expect(validate({ replica_groups: 2, nodes: [node("a", 0), node("b", 1)] })).toEqual([]);
  });

  it("rejects a node whose group is outside 0..replica_groups-1", () => {
    expect(
      validate({ replica_groups: 2, nodes: [node("a", 0), node("b", 1), node("c", 2)] }),
    ).toEqual([
      {
        path: "nodes[2].replica_group",
        message:
          "is 2 but replica_groups is 2, so groups are 0..1; move the node to an existing group or raise replica_groups",
      },
    ]);
  });

  it("rejects a group without any node", () => {
    expect(validate({ replica_groups: 3, nodes: [node("a", 0), node("b", 2)] })).toEqual([
      {
        path: "replica_groups",
        message:
          "is 3 but group 1 has no node; give every group 0..2 at least one node or lower replica_groups",
      },
    ]);
  });
});

describe("node identity", () => {
  it("accepts distinct ids and addresses", () => {
    expect(validate({ nodes: [node("a"), node("b")] })).toEqual([]);
  });

  it("rejects a reused node id", () => {
    expect(validate({ nodes: [node("a"), node("b"), node("a", 0, "http://other:7700")] })).toEqual([
      {
        path: "nodes[2].id",
        message: '"a" is already used by nodes[0]; every node needs its own id',
      },
    ]);
  });

  it("rejects two spellings of the same address", () => {
    expect(
      validate({ nodes: [node("a", 0, "http://Meili:7700/"), node("b", 0, "http://meili:7700")] }),
    ).toEqual([
      {
        path: "nodes[1].address",
        message:
          '"http://meili:7700" is already used by nodes[0]; every node needs its own address',
      },
    ]);
  });

  it("rejects an id with characters outside [a-zA-Z0-9_.-]", () => {
    expect(validate({ nodes: [node("a b", 0, "http://a:7700")] })).toEqual([
      {
        path: "nodes[0].id",
        message: 'must be 1 to 64 characters from a-z A-Z 0-9 _ . - (got "a b")',
      },
    ]);
  });

  it("rejects an address that is not an http(s) URL", () => {
    expect(validate({ nodes: [{ id: "a", address: "meili:7700" }] })).toEqual([
      {
        path: "nodes[0].address",
        message: 'must be an http(s) URL with a host, for example "http://127.0.0.1:7700"',
      },
    ]);
  });

  it("rejects an empty node list", () => {
    expect(validate({ nodes: [] })).toEqual([
      { path: "nodes", message: "list at least one node, each with an id and an address" },
    ]);
  });
});

describe("replication factor", () => {
  it("accepts RF equal to the size of the smallest group", () => {
    const nodes = [node("a", 0), node("b", 0), node("c", 1), node("d", 1), node("e", 1)];
    expect(validate({ replica_groups: 2, replication_factor: 2, nodes })).toEqual([]);
  });

  it("rejects RF above the size of the smallest group", () => {
    const nodes = [node("a", 0), node("b", 0), node("c", 0), node("d", 1)];
    expect(validate({ replica_groups: 2, replication_factor: 2, nodes })).toEqual([
      {
        path: "replication_factor",
        message:
          "is 2 but replica group 1 has only 1 node(s); lower replication_factor to at most 1 or add nodes to that group",
      },
    ]);
  });
});

describe("shards", () => {
  it("accepts 1 and 65536 shards", () => {
    expect(validate({ shards: 1, nodes: [node("a")] })).toEqual([]);
    expect(validate({ shards: 65_536, nodes: [node("a")] })).toEqual([]);
  });

  it("rejects 0 and more than 65536 shards", () => {
    expect(validate({ shards: 0, nodes: [node("a")] })).toEqual([
      { path: "shards", message: "must be at least 1 (got 0)" },
    ]);
    expect(validate({ shards: 65_537, nodes: [node("a")] })).toEqual([
      { path: "shards", message: "must be at most 65536 (got 65537)" },
    ]);
  });

  it("rejects a fractional shard count", () => {
    expect(validate({ shards: 1.5, nodes: [node("a")] })).toEqual([
      { path: "shards", message: "must be a whole number between 1 and 65536 (got 1.5)" },
    ]);
  });
});
