import { Args } from "@oclif/core";
import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { renderAlias } from "../../output/alias-view.js";

export default class AliasGet extends ClusterCommand {
  static override summary = "Show an alias, its version and what it named before.";
  static override description = "GET /_miroir/aliases/{name}.";
  static override examples = ["<%= config.bin %> <%= command.id %> movies"];
  static override args = {
    name: Args.string({ description: "The alias name.", required: true }),
  };
  static override flags = { ...adminKeyFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(AliasGet);
    const alias = await (await this.adminClient(flags)).alias(args.name);
    this.printResult(alias, () => renderAlias(alias));
  }
}
