import { parseConfig } from "@miroir/config";
import { describe, expect, it } from "vitest";
import { benchConfig } from "./miroir-process.js";

describe("the configuration the benchmarks start Miroir with", () => {
  it("is a valid Miroir configuration for the nodes, RF and ports it is given", () => {
    const nodes = ["node-0", "node-1", "node-2"].map((id, i) => ({
      id,
      url: `http://127.0.0.1:${7701 + i}`,
    }));
    const config = parseConfig(
      benchConfig(
        { nodes, replicationFactor: 2, nodeMasterKey: "a-node-master-key-16" },
        7700,
        9090,
      ),
    );
    expect(config.replication_factor).toBe(2);
    expect(config.nodes.map((node) => node.address)).toEqual(nodes.map((node) => node.url));
    expect(config.server).toMatchObject({ host: "127.0.0.1", port: 7700, metrics_port: 9090 });
    expect(config.task_store).toMatchObject({ backend: "sqlite", path: ":memory:" });
  });
});
