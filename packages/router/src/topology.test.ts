import { describe, expect, it } from "vitest";
import { InvalidTopologyError, UnknownNodeError } from "./errors.js";
import {
  createTopology,
  findNode,
  nodesOfGroup,
  topologyFromConfig,
  withJoiningNode,
  withReplicaGroup,
} from "./topology.js";

const settings = { shards: 16, replication_factor: 2, replica_groups: 2 };
const entries = [
  { id: "a", address: "http://a:7700", replica_group: 0 },
  { id: "b", address: "http://b:7700", replica_group: 0 },
  { id: "c", address: "http://c:7700", replica_group: 1 },
  { id: "d", address: "http://d:7700", replica_group: 1, state: "joining" as const },
];

describe("topologyFromConfig", () => {
  it("builds a frozen topology from config-shaped nodes, active unless told otherwise", () => {
    const topology = topologyFromConfig(entries, settings);
    expect(topology).toMatchObject({ shards: 16, replicationFactor: 2, replicaGroups: 2 });
    expect(topology.nodes.map((node) => [node.id, node.group, node.state])).toEqual([
      ["a", 0, "active"],
      ["b", 0, "active"],
      ["c", 1, "active"],
      ["d", 1, "joining"],
    ]);
    expect(Object.isFrozen(topology)).toBe(true);
    expect(Object.isFrozen(topology.nodes[0])).toBe(true);
    expect(nodesOfGroup(topology, 1).map((node) => node.id)).toEqual(["c", "d"]);
  });

  it("rejects duplicate ids, unknown groups, bad counts and unknown states with a typed error", () => {
    const bad = [
      () => topologyFromConfig([...entries, entries[0] as (typeof entries)[number]], settings),
      () => topologyFromConfig([{ id: "x", address: "", replica_group: 2 }], settings),
      () => topologyFromConfig([{ id: "", address: "", replica_group: 0 }], settings),
      () => topologyFromConfig(entries, { ...settings, shards: 0 }),
      () => topologyFromConfig(entries, { ...settings, replication_factor: 0 }),
      () => topologyFromConfig(entries, { ...settings, replica_groups: 1.5 }),
      () =>
        createTopology({
          shards: 4,
          replicationFactor: 1,
          replicaGroups: 1,
          nodes: [{ id: "x", address: "", group: 0, state: "sleeping" as never }],
        }),
    ];
    for (const attempt of bad) {
      expect(attempt).toThrow(InvalidTopologyError);
    }
  });

  it("adds nodes as joining, never reusing an id, and adds groups at the end", () => {
    const topology = topologyFromConfig(entries, settings);
    const grown = withJoiningNode(topology, { id: "e", address: "http://e:7700", group: 0 });
    expect(findNode(grown, "e").state).toBe("joining");
    expect(() => withJoiningNode(grown, { id: "e", address: "", group: 0 })).toThrow(
      InvalidTopologyError,
    );
    expect(() => findNode(topology, "e")).toThrow(UnknownNodeError);
    expect(withReplicaGroup(topology).replicaGroups).toBe(3);
  });
});
