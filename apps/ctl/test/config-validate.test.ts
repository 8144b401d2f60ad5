import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, removeHome, runCtl } from "./ctl-process.js";

const VALID = `shards: 16
replica_groups: 1
nodes:
  - { id: meili-0, address: "http://10.0.0.1:7700", replica_group: 0 }
  - { id: meili-1, address: "http://10.0.0.2:7700", replica_group: 0 }
`;

const INVALID = `shards: 0
replication_factor: 3
nodes:
  - { id: meili-0, address: "http://10.0.0.1:7700", replica_group: 1 }
  - { id: meili-0, address: "ftp://10.0.0.2", replica_group: 0 }
server: { prot: 8080 }
`;

describe.concurrent("miroir-ctl config validate", () => {
  let home: string;
  let valid: string;
  let invalid: string;

  beforeAll(async () => {
    home = await makeHome();
    valid = join(home, "valid.yaml");
    invalid = join(home, "invalid.yaml");
    await writeFile(valid, VALID);
    await writeFile(invalid, INVALID);
  });
  afterAll(async () => {
    await removeHome(home);
  });

  it("accepts a valid file with a one-line summary and exit 0", async () => {
    const run = await runCtl(["config", "validate", valid], { home });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `${valid} is valid: 2 nodes in 1 replica group(s), 16 shards, replication factor 1.\n`,
    );
  });

  it("prints every problem with its key path and exits 1", async () => {
    const run = await runCtl(["config", "validate", invalid], { home });
    expect(run.code).toBe(1);
    const [heading, ...problems] = run.stdout.trim().split("\n");
    expect(heading).toMatch(new RegExp(`^${invalid} is not valid \\(\\d+ problems\\):$`));
    const paths = problems.map((line) => /^ {2}- ([^:]+):/.exec(line)?.[1]);
    expect(paths).toEqual(expect.arrayContaining(["shards", "server.prot"]));
    expect(run.stdout).toContain("did you mean");
  });

  it("answers {valid, problems} with --json", async () => {
    const bad = await runCtl(["config", "validate", invalid, "--json"], { home });
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout);
    expect(report.valid).toBe(false);
    expect(report.problems).toContainEqual({ path: "shards", message: expect.any(String) });
    const good = await runCtl(["config", "validate", valid, "--json"], { home });
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual({
      valid: true,
      file: valid,
      problems: [],
      summary: { nodes: 2, replica_groups: 1, shards: 16, replication_factor: 1 },
    });
  });

  it("ignores the shell's MIROIR_* variables unless --with-env, then names the variable", async () => {
    const env = { MIROIR_SHARDS: "0" };
    const fileOnly = await runCtl(["config", "validate", valid], { home, env });
    expect(fileOnly.code).toBe(0);
    const withEnv = await runCtl(["config", "validate", valid, "--with-env"], { home, env });
    expect(withEnv.code).toBe(1);
    expect(withEnv.stdout).toMatch(/- shards: .*\(set by MIROIR_SHARDS\)/);
  });

  it("exits 1 with one line for a file it cannot read, and 2 without a file", async () => {
    const missing = join(home, "missing.yaml");
    const run = await runCtl(["config", "validate", missing], { home });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^Error: Cannot read ${missing}: ENOENT[^\\n]*\\n$`));
    const usage = await runCtl(["config", "validate"], { home });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Missing 1 required arg");
  });
});
