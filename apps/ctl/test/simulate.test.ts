import { DEFAULT_SIMULATION_OPTIONS, simulateFleet } from "@miroir/simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, removeHome, runCtl } from "./ctl-process.js";

describe.concurrent("miroir-ctl simulate", () => {
  let home: string;

  beforeAll(async () => {
    home = await makeHome();
  });
  afterAll(async () => {
    await removeHome(home);
  });

  it("answers with --json exactly the simulator's report for the same fleet", async () => {
    const run = await runCtl(
      [
        "simulate",
        "--nodes",
        "30",
        "--groups",
        "3",
        "--rf",
        "2",
        "--shards",
        "256",
        "--documents",
        "1.5B",
        "--fail",
        "0",
        "--fail",
        "4",
        "--trials",
        "20",
        "--queries",
        "8",
        "--seed",
        "9",
        "--json",
      ],
      { home },
    );
    expect(run.code).toBe(0);
    const expected = simulateFleet(
      {
        nodes: 30,
        replicaGroups: 3,
        replicationFactor: 2,
        shards: 256,
        documents: 1_500_000_000,
        zones: 3,
        zoneLayout: "group",
        seed: 9,
      },
      { ...DEFAULT_SIMULATION_OPTIONS, trials: 20, queries: 8, failures: [0, 4] },
    );
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it("prints the fleet, balance, movement, failure and fan-out tables, the same for the same seed", async () => {
    const args = [
      "simulate",
      "--nodes",
      "12",
      "--rf",
      "3",
      "--zones",
      "3",
      "--zone-layout",
      "spread",
    ];
    const [first, again, other] = await Promise.all([
      runCtl([...args, "--trials", "30"], { home }),
      runCtl([...args, "--trials", "30"], { home }),
      runCtl([...args, "--trials", "30", "--seed", "2"], { home }),
    ]);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(again.stdout);
    expect(first.stdout).not.toBe(other.stdout);
    const lines = first.stdout.split("\n");
    expect(lines[0]).toBe(
      "Fleet: 12 nodes (1 group), RF 3, 64 shards, 10,000,000 documents, 3 zone(s) (spread layout), seed 1",
    );
    expect(first.stdout).toMatch(/^PER NODE +MEAN +MIN +MAX +MAX\/MEAN +EXPECTED MAX\/MEAN$/m);
    expect(first.stdout).toMatch(/^shards +16 /m);
    expect(first.stdout).toMatch(/^add 1 node \(30 random ids\) +[\d,]+ +[\d,]+ +\d\.\d\d /m);
    expect(first.stdout).toMatch(/^1 random node\(s\), 30 draws +1 /m);
    expect(first.stdout).toMatch(/^zone 2 +4 /m);
    expect(first.stdout).toMatch(/^no primary-key filter +12$/m);
    expect(first.stdout).toMatch(/^pinned to 1 key +1$/m);
    expect(first.stderr).toBe("");
  });

  it("exits 2 naming the problem for a fleet it cannot simulate", async () => {
    const tooFew = await runCtl(["simulate", "--nodes", "3", "--groups", "2", "--rf", "2"], {
      home,
    });
    expect(tooFew.code).toBe(2);
    expect(tooFew.stderr).toContain("fewer than the replication factor 2: give at least 4 nodes");
    const tooMany = await runCtl(["simulate", "--nodes", "5", "--fail", "6", "--json"], { home });
    expect(tooMany.code).toBe(2);
    expect(JSON.parse(tooMany.stderr).error.message).toContain("fail from 0 to 5 nodes, got 6");
    const notANumber = await runCtl(["simulate", "--documents", "lots"], { home });
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toContain("Expected a whole number of documents");
  });
});
