import { Args } from "@oclif/core";
import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";

export default class AliasDelete extends ClusterCommand {
  static override summary = "Delete an alias (its indexes stay).";
  static override description = "DELETE /_miroir/aliases/{name}.";
  static override examples = ["<%= config.bin %> <%= command.id %> movies"];
  static override args = {
    name: Args.string({ description: "The alias name.", required: true }),
  };
  static override flags = { ...adminKeyFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(AliasDelete);
    await (await this.adminClient(flags)).deleteAlias(args.name);
    this.printResult({ deleted: args.name }, () => `Deleted alias ${args.name}.`);
  }
}
