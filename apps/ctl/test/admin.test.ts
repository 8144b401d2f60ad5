import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CtlRun, closedPortUrl, makeHome, removeHome, runCtl } from "./ctl-process.js";
import { ADMIN_KEY, type MiroirUnderTest, startMiroir } from "./miroir-under-test.js";

describe("miroir-ctl admin commands against a proxy over a testkit cluster", () => {
  let miroir: MiroirUnderTest;
  let home: string;
  const ctl = (args: string[], env: Record<string, string> = { MIROIR_ADMIN_API_KEY: ADMIN_KEY }) =>
    runCtl([...args, "--url", miroir.url], { home, env });

  /** Re-runs a command until its result satisfies `holds` (health probes take a few rounds). */
  async function eventually(args: string[], holds: (run: CtlRun) => boolean): Promise<CtlRun> {
    const started = Date.now();
    for (;;) {
      const run = await ctl(args);
      if (holds(run) || Date.now() - started > 20_000) return run;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  beforeAll(async () => {
    home = await makeHome();
    // Node changes move no data here: `rebalance apply` starts the moves when asked.
    miroir = await startMiroir(
      { nodes: 3, shards: 8 },
      { rebalancer: { enabled: false, lease_ms: 1_000, cleanup_grace_ms: 0 } },
    );
    await eventually(["status"], (run) => run.code === 0);
  });
  afterAll(async () => {
    await miroir?.stop();
    await removeHome(home);
  });

  describe.concurrent("on a healthy cluster", () => {
    it("status prints the summary line and the Miroir process, and exits 0", async () => {
      const run = await ctl(["status"]);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe("");
      const [line, columns, process, ...rest] = run.stdout.trimEnd().split("\n");
      expect(line).toBe("Nodes: 3 healthy, 0 degraded | Shards: 8/8 covered | Rebalance: idle");
      expect(columns?.split(/\s+/)).toEqual([
        "PROXY",
        "ADDRESS",
        "VERSION",
        "LEADER",
        "DUTIES",
        "LAST",
        "SEEN",
      ]);
      // One process, alone on its store: it leads and runs every duty.
      const [id, address, version, leader, duties] = process?.split(/\s+/) ?? [];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(version).toMatch(/^\d+\.\d+\.\d+/);
      expect(leader).toBe("yes");
      expect(duties?.split(",")).toEqual(
        expect.arrayContaining(["anti-entropy", "health-probes", "task-poller"]),
      );
      expect(rest).toEqual([]);
    });

    it("status --json gives the topology, the rebalance state and degraded: false", async () => {
      const run = await ctl(["status", "--json"]);
      expect(run.code).toBe(0);
      const answer = JSON.parse(run.stdout);
      expect(answer.degraded).toBe(false);
      expect(answer.topology.nodes.map((node: { id: string }) => node.id)).toEqual([
        "node-0",
        "node-1",
        "node-2",
      ]);
      expect(answer.rebalance).toMatchObject({ status: "idle", pendingMoves: [] });
      expect(answer.proxies.proxies).toHaveLength(1);
      expect(answer.proxies.leader).not.toBeNull();
    });

    it("topology shows every node with group, state, health and shard counts", async () => {
      const run = await ctl(["topology"]);
      expect(run.code).toBe(0);
      const [heading, columns, ...rows] = run.stdout.trim().split("\n");
      expect(heading).toBe(
        "8 shards, replication factor 1, 1 replica group(s); uncovered shards: 0, under-replicated: 0",
      );
      expect(columns).toMatch(
        /^NODE\s+GROUP\s+STATE\s+HEALTH\s+SHARDS\s+TARGET\s+LAST SEEN\s+ADDRESS\s+ERROR$/,
      );
      expect(rows).toHaveLength(3);
      for (const [index, row] of rows.entries()) {
        expect(row).toMatch(
          new RegExp(`^node-${index}\\s+0\\s+active\\s+healthy\\s+\\d+\\s+\\d+\\s+\\d{4}-`),
        );
      }
      const json = JSON.parse((await ctl(["topology", "--json"])).stdout);
      const owned = json.nodes.reduce(
        (sum: number, node: { shardCount: number }) => sum + node.shardCount,
        0,
      );
      expect(owned).toBe(8);
    });

    it("shards maps each shard to its node, filterable by node and group", async () => {
      const all = await ctl(["shards"]);
      expect(all.code).toBe(0);
      const lines = all.stdout.trim().split("\n");
      expect(lines[0]).toMatch(/^SHARD\s+GROUP\s+NODES\s+TARGET$/);
      expect(lines).toHaveLength(9);
      const mine = JSON.parse((await ctl(["shards", "--node", "node-0", "--json"])).stdout);
      const everyone = JSON.parse((await ctl(["shards", "--group", "0", "--json"])).stdout);
      expect(everyone.shards).toHaveLength(8);
      const expected = everyone.shards.filter((row: { nodes: string[] }) =>
        row.nodes.includes("node-0"),
      );
      expect(mine.shards).toEqual(expected);
      expect((await ctl(["shards", "--group", "1"])).stdout).toBe("No shard matches.\n");
    });

    it("rebalance plan and status say there is nothing to move", async () => {
      const plan = await ctl(["rebalance", "plan"]);
      expect(plan.stdout).toBe("Nothing to move: every shard is where it belongs.\n");
      const status = await ctl(["rebalance", "status", "--watch", "--interval", "50"]);
      expect(status).toEqual({
        code: 0,
        stdout: "Rebalance: idle\n",
        stderr: "rebalance idle 100%\n",
      });
    });

    it("a wrong admin key fails with the server's message, exit 1, naming where the key came from", async () => {
      const run = await ctl(["status", "--admin-key", "wrong"]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(
        "Error: The admin API needs the admin key, as `Authorization: Bearer <key>` or `X-Admin-Key: <key>`. (miroir_invalid_auth, HTTP 401). The admin key came from the flag.\n",
      );
    });

    it("no admin key at all fails with exit 1 and says how to give one", async () => {
      const run = await ctl(["topology"], {});
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        "(miroir_invalid_auth, HTTP 401). No admin key was sent: pass --admin-key, set MIROIR_ADMIN_API_KEY",
      );
    });

    it("an explicit --admin-key wins over MIROIR_ADMIN_API_KEY, in both directions", async () => {
      const flagWins = await ctl(["status", "--admin-key", ADMIN_KEY], {
        MIROIR_ADMIN_API_KEY: "wrong",
      });
      expect(flagWins.code).toBe(0);
      const flagLoses = await ctl(["status", "--admin-key", "wrong"], {
        MIROIR_ADMIN_API_KEY: ADMIN_KEY,
      });
      expect(flagLoses.code).toBe(1);
    });

    it("unreachable URL: one line, exit 1", async () => {
      const url = await closedPortUrl();
      const run = await runCtl(["status", "--url", url], {
        home,
        env: { MIROIR_ADMIN_API_KEY: ADMIN_KEY },
      });
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toContain(`Cannot reach Miroir at ${url}: connection refused`);
    });

    it("bad flags exit 2", async () => {
      const runs = await Promise.all([
        ctl(["shards", "--group", "-1"]),
        ctl(["node", "add", "--id", "x"]),
        ctl(["rebalance", "status", "--interval", "soon"]),
      ]);
      expect(runs.map((run) => run.code)).toEqual([2, 2, 2]);
      expect(runs[1]?.stderr).toContain("Missing required flag address");
    });
  });

  it("reads the admin key from a 0600 credentials file and refuses a looser one", async () => {
    const dir = join(home, ".config", "miroir");
    const file = join(dir, "credentials");
    await mkdir(dir, { recursive: true });
    await writeFile(file, `[default]\nadmin_api_key = "${ADMIN_KEY}"\n`);
    await chmod(file, 0o600);
    expect((await ctl(["status"], {})).code).toBe(0);
    await chmod(file, 0o644);
    const refused = await ctl(["status"], {});
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `Error: Refusing to read ${file}: its mode is 0644, which lets other users read it. Run \`chmod 600 ${file}\`.\n`,
    );
    expect((await ctl(["status"])).code).toBe(0);
  });

  it("exits 3 with the node named while a node is down, and 0 again once it is back", async () => {
    const victim = miroir.cluster.nodes[2];
    if (victim?.control === undefined) throw new Error("emulated nodes have a control");
    await victim.control.kill();
    try {
      const down = await eventually(["status"], (run) => run.stdout.includes("node-2 unreachable"));
      expect(down.code).toBe(3);
      expect(down.stdout).toMatch(
        /^Nodes: 2 healthy, 1 degraded \(node-2 unreachable\) \| Shards: [0-7]\/8 covered, \d+ under-replicated \| Rebalance: idle\nPROXY /,
      );
      const json = await ctl(["status", "--json"]);
      expect(json.code).toBe(3);
      expect(JSON.parse(json.stdout).degraded).toBe(true);
    } finally {
      await victim.control.restart();
    }
    expect((await eventually(["status"], (run) => run.code === 0)).code).toBe(0);
  });
  it("adds a node, plans its moves, refuses illegal changes, removes it, drains another", async () => {
    const deadAddress = await closedPortUrl();
    const added = await ctl([
      "node",
      "add",
      "--id",
      "node-9",
      "--address",
      deadAddress,
      "--replica-group",
      "0",
    ]);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(
      /^Added node-9 to replica group 0 as joining; it will hold \d+ shards \(see `rebalance plan`\)\.\n$/,
    );

    const degraded = await eventually(["status"], (run) => run.code === 3);
    expect(degraded.code).toBe(3);
    expect(degraded.stdout).toMatch(
      /^Nodes: 3 healthy, 1 degraded \(node-9 (degraded|unreachable)\) \| Shards: 8\/8 covered \| Rebalance: idle, \d+ shard moves? pending\nPROXY /,
    );
    expect((await ctl(["topology"])).code).toBe(3);

    const plan = JSON.parse((await ctl(["rebalance", "plan", "--json"])).stdout);
    expect(plan.pendingMoves.length).toBeGreaterThan(0);
    for (const move of plan.pendingMoves) expect(move.to).toContain("node-9");
    const planText = (await ctl(["rebalance", "plan"])).stdout;
    expect(planText).toMatch(/^SHARD\s+GROUP\s+FROM\s+TO\n/);
    expect(planText).toContain(`${plan.pendingMoves.length} shard move`);

    // node-9 does not answer: the migration starts, and its copy waits for the node.
    const apply = await ctl(["rebalance", "apply"]);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(/^Rebalance (started|already running): rebalance /);
    const again = JSON.parse((await ctl(["rebalance", "apply", "--json"])).stdout);
    expect(again).toMatchObject({ status: "running", started: false });
    const status = await ctl(["rebalance", "status"]);
    expect(status.stdout).toMatch(/^Rebalance: running, \d+ shard moves? pending\nMigration /);
    expect(status.stdout).toMatch(
      /\nSHARD\s+GROUP\s+GAINS\s+LOSSES\s+PHASE\s+COPIED\s+RATE\s+ETA\n/,
    );

    const active = await ctl(["node", "remove", "node-0"]);
    expect(active.code).toBe(1);
    expect(active.stderr).toMatch(/^Error: .+ \(miroir_illegal_transition, HTTP 409\)\n$/);
    const unknown = await ctl(["node", "drain", "node-7"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/\(miroir_node_not_found, HTTP 404\)\n$/);

    const joiningDrain = await ctl(["node", "drain", "node-9"]);
    expect(joiningDrain.code).toBe(1);
    expect(joiningDrain.stderr).toMatch(/\(miroir_illegal_transition, HTTP 409\)\n$/);
    const removed = await ctl(["node", "remove", "node-9", "--json"]);
    expect(removed.code).toBe(0);
    const after = JSON.parse(removed.stdout);
    expect(after.nodes.find((node: { id: string }) => node.id === "node-9")).toMatchObject({
      state: "removed",
    });
    // The migration toward node-9 ends once its next run finds the node gone (superseded).
    const settled = await eventually(
      ["status"],
      (run) => run.code === 0 && run.stdout.split("\n")[0]?.endsWith("Rebalance: idle") === true,
    );
    expect(settled.stdout.split("\n")[0]).toBe(
      "Nodes: 3 healthy, 0 degraded | Shards: 8/8 covered | Rebalance: idle",
    );

    const drained = await ctl(["node", "drain", "node-1"]);
    expect(drained.code).toBe(0);
    expect(drained.stdout).toMatch(
      /^node-1 is draining; its \d+ shards are to move \(see `rebalance plan`\)\.\n$/,
    );
    const moves = JSON.parse((await ctl(["rebalance", "plan", "--json"])).stdout).pendingMoves;
    expect(moves.length).toBeGreaterThan(0);
    for (const move of moves) expect(move.from).toEqual(["node-1"]);
  }, 90_000);
});
