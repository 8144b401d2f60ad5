import { Args } from "@oclif/core";
import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";

export default class ReshardCancel extends ClusterCommand {
  static override summary = "Cancel an index's reshard before it switches.";
  static override description =
    "DELETE /_miroir/indexes/{uid}/reshard: the new index is deleted and the old one, which took every write all along, stays as it is. Exits 1 when no reshard of the index is in progress or it has switched already.";
  static override examples = ["<%= config.bin %> <%= command.id %> movies"];
  static override args = {
    index: Args.string({ description: "The index (or alias) being resharded.", required: true }),
  };
  static override flags = { ...adminKeyFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ReshardCancel);
    const answer = await (await this.adminClient(flags)).cancelReshard(args.index);
    this.printResult(
      answer,
      () => `Canceling the reshard of ${answer.name}: ${answer.target} will be deleted.`,
    );
  }
}
