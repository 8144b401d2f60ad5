import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, removeHome, runCtl } from "./ctl-process.js";

const COMMANDS = [
  "alias create",
  "alias delete",
  "alias get",
  "alias list",
  "alias switch",
  "config validate",
  "dump import",
  "dump status",
  "import",
  "keys create",
  "keys delete",
  "keys list",
  "node add",
  "node drain",
  "node remove",
  "rebalance apply",
  "rebalance cancel",
  "rebalance plan",
  "rebalance status",
  "repair",
  "reshard",
  "reshard cancel",
  "reshard status",
  "shards",
  "simulate",
  "status",
  "task list",
  "task show",
  "task wait",
  "topology",
  "verify",
];

describe("help and shell completion", () => {
  let home: string;
  interface ListedCommand {
    id: string;
    plugin: string;
    summary?: string;
    examples?: unknown[];
  }
  let listed: ListedCommand[];

  beforeAll(async () => {
    home = await makeHome();
    // oclif reads the built commands in a plain Node process, as the installed CLI does.
    const root = fileURLToPath(new URL("..", import.meta.url));
    const script = `import { Config } from "@oclif/core";
const config = await Config.load(${JSON.stringify(root)});
const commands = config.commands.map((c) => ({ id: c.id, plugin: c.pluginName, summary: c.summary, examples: c.examples }));
process.stdout.write(JSON.stringify(commands));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--input-type=module", "-e", script],
      { cwd: root, env: { PATH: process.env.PATH ?? "", HOME: home } },
    );
    listed = JSON.parse(stdout);
  });
  afterAll(async () => {
    await removeHome(home);
  });

  it("ships exactly the commands whose server side exists, each with a summary and examples", () => {
    const own = listed.filter((command) => command.plugin === "@miroir/ctl");
    expect(own.map((command) => command.id.replaceAll(":", " ")).sort()).toEqual(COMMANDS);
    for (const command of own) {
      expect(command.summary, command.id).toBeTruthy();
      expect(command.examples?.length ?? 0, command.id).toBeGreaterThan(0);
    }
    expect(listed.map((command) => command.id)).toContain("autocomplete");
  });

  it("documents the key precedence and the exit codes in --help", async () => {
    const status = await runCtl(["status", "--help"], { home });
    expect(status.code).toBe(0);
    const statusHelp = status.stdout.replace(/\s+/g, " ");
    expect(status.stdout).toContain("EXAMPLES");
    expect(statusHelp).toContain(
      "Precedence: this flag, then MIROIR_ADMIN_API_KEY, then admin_api_key under [default] in ~/.config/miroir/credentials (refused unless its mode is 0600)",
    );
    expect(statusHelp).toContain("Exits 3 when the cluster is degraded");
    const wait = await runCtl(["task", "wait", "--help"], { home });
    const waitHelp = wait.stdout.replace(/\s+/g, " ");
    expect(waitHelp).toContain("Precedence: this flag, then MIROIR_MASTER_KEY");
    expect(waitHelp).toContain("Exits 0 when the task succeeded, 1 when it failed");
  });

  it("builds bash and zsh completion for every command and its flags", async () => {
    const run = await runCtl(["autocomplete", "--refresh-cache"], { home });
    expect(run.code).toBe(0);
    const bash = await readFile(
      join(home, ".cache", "miroir", "autocomplete", "functions", "bash", "miroir-ctl.bash"),
      "utf8",
    );
    expect(bash).toContain("task:wait --json --url --api-key --timeout --interval");
    expect(bash).toContain("node:add --json --url --admin-key --id --address --replica-group");
    const zsh = await readFile(
      join(home, ".cache", "miroir", "autocomplete", "functions", "zsh", "_miroir-ctl"),
      "utf8",
    );
    expect(zsh).toContain("rebalance");
  });
});
