import { Args, Flags } from "@oclif/core";
import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { renderAlias } from "../../output/alias-view.js";

export default class AliasSwitch extends ClusterCommand {
  static override summary = "Point an alias at other indexes, in one atomic step.";
  static override description =
    "PUT /_miroir/aliases/{name}. Every request after the switch goes to the new indexes, on every Miroir process sharing the task store (within one follower interval on the others); a request in flight finishes on the indexes it started on. With --expected-version the switch happens only if nobody switched the alias since.";
  static override examples = [
    "<%= config.bin %> <%= command.id %> movies movies-v2",
    "<%= config.bin %> <%= command.id %> movies movies-v2 --expected-version 3",
  ];
  static override strict = false;
  static override args = {
    name: Args.string({ description: "The alias name.", required: true }),
    index: Args.string({
      description: "An index it names from now on (one or more).",
      required: true,
    }),
  };
  static override flags = {
    ...adminKeyFlags,
    "expected-version": Flags.integer({
      summary: "Switch only if the alias is still at this version.",
      min: 1,
    }),
  };

  async run(): Promise<void> {
    const { args, argv, flags } = await this.parse(AliasSwitch);
    const admin = await this.adminClient(flags);
    const switched = await admin.switchAlias(
      args.name,
      (argv as string[]).slice(1),
      flags["expected-version"],
    );
    this.printResult(switched, () => `Switched alias ${switched.name}.\n${renderAlias(switched)}`);
  }
}
