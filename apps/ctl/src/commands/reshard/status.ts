import { Args } from "@oclif/core";
import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { ExitCode } from "../../exit-codes.js";
import { renderReshards, reshardSummary } from "../../output/reshard-view.js";

export default class ReshardStatus extends ClusterCommand {
  static override summary = "Show reshards: every one, newest first, or an index's latest.";
  static override description =
    "GET /_miroir/reshards (or /_miroir/indexes/{uid}/reshard): phase, documents copied of the total, rate, the new index. Exits 1 when the reshard named failed or was canceled.";
  static override examples = [
    "<%= config.bin %> <%= command.id %>",
    "<%= config.bin %> <%= command.id %> movies --json",
  ];
  static override args = {
    index: Args.string({ description: "An index (or alias) name.", required: false }),
  };
  static override flags = { ...adminKeyFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ReshardStatus);
    const admin = await this.adminClient(flags);
    if (args.index !== undefined) {
      const answer = await admin.reshardStatus(args.index);
      this.printResult(answer, () => `${reshardSummary(answer)}\n${renderReshards([answer])}`);
      if (answer.status === "failed" || answer.status === "canceled") this.exit(ExitCode.failed);
      return;
    }
    const { results, total } = await admin.reshards();
    this.printResult({ results, total }, () =>
      results.length === 0 ? "No reshard." : renderReshards(results),
    );
  }
}
