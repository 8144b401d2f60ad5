import { readFile } from "node:fs/promises";
import { ConfigError, loadConfig, type MiroirConfig } from "@miroir/config";
import { Args, Flags } from "@oclif/core";
import { MiroirCommand } from "../../base-command.js";
import { CliFailure } from "../../cli-failure.js";
import { ExitCode } from "../../exit-codes.js";

export default class ConfigValidate extends MiroirCommand {
  static override summary = "Check a Miroir configuration file offline.";
  static override description =
    "Loads FILE with the proxy's own rules (schema and cross-field checks) and prints every problem with its key path. Exits 0 when valid, 1 when not. Needs no running proxy.";
  static override examples = [
    "<%= config.bin %> <%= command.id %> miroir.yaml",
    "MIROIR_SERVER__PORT=8080 <%= config.bin %> <%= command.id %> miroir.yaml --with-env",
    "<%= config.bin %> <%= command.id %> miroir.yaml --json",
  ];
  static override args = {
    file: Args.string({ description: "The YAML configuration file.", required: true }),
  };
  static override flags = {
    "with-env": Flags.boolean({
      summary: "Apply this shell's MIROIR_* variables on top of the file, as the proxy would.",
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ConfigValidate);
    let text: string;
    try {
      text = await readFile(args.file, "utf8");
    } catch (error) {
      throw new CliFailure(`Cannot read ${args.file}: ${(error as Error).message}`);
    }
    let config: MiroirConfig;
    try {
      config = loadConfig({
        file: { path: args.file, text },
        env: flags["with-env"] ? process.env : {},
      });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const problems = error.issues;
      this.printResult({ valid: false, file: args.file, problems }, () => {
        const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
        const lines = problems.map(({ path, message }) =>
          path === "" ? `  - ${message}` : `  - ${path}: ${message}`,
        );
        return `${args.file} is not valid (${count}):\n${lines.join("\n")}`;
      });
      this.exit(ExitCode.failed);
    }
    const summary = {
      nodes: config.nodes.length,
      replica_groups: config.replica_groups,
      shards: config.shards,
      replication_factor: config.replication_factor,
    };
    this.printResult(
      { valid: true, file: args.file, problems: [], summary },
      () =>
        `${args.file} is valid: ${summary.nodes} nodes in ${summary.replica_groups} replica group(s), ${summary.shards} shards, replication factor ${summary.replication_factor}.`,
    );
  }
}
