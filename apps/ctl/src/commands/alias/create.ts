import { Args } from "@oclif/core";
import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { renderAlias } from "../../output/alias-view.js";

export default class AliasCreate extends ClusterCommand {
  static override summary =
    "Create an alias: a name clients use in place of one index, or several.";
  static override description =
    "POST /_miroir/aliases. An alias of one index takes every index route (reads and writes); an alias of several is read-only and answers searches as one federated search over them.";
  static override examples = [
    "<%= config.bin %> <%= command.id %> movies movies-v1",
    "<%= config.bin %> <%= command.id %> logs logs-2026-11 logs-2026-12",
  ];
  static override strict = false;
  static override args = {
    name: Args.string({ description: "The alias name.", required: true }),
    index: Args.string({ description: "An index it names (one or more).", required: true }),
  };
  static override flags = { ...adminKeyFlags };

  async run(): Promise<void> {
    const { args, argv, flags } = await this.parse(AliasCreate);
    const admin = await this.adminClient(flags);
    const created = await admin.createAlias(args.name, (argv as string[]).slice(1));
    this.printResult(created, () => `Created alias ${created.name}.\n${renderAlias(created)}`);
  }
}
