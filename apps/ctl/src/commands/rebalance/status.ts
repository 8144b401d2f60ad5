import { Flags } from "@oclif/core";
import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { rebalanceSummary, renderMigration } from "../../output/topology-view.js";
import { followWithProgress } from "../../rebalance/follow-with-progress.js";

export default class RebalanceStatus extends ClusterCommand {
  static override summary = "Show whether a rebalance runs and how many moves are pending.";
  static override description =
    "Reads /_miroir/rebalance/status: whether a migration runs, the moves still pending, and the running (or last) migration per shard move: phase, documents copied, rate and ETA. With --watch (--follow), keeps polling until the rebalance is idle, with a progress bar on a terminal (plain lines otherwise).";
  static override examples = [
    "<%= config.bin %> <%= command.id %>",
    "<%= config.bin %> <%= command.id %> --watch",
  ];
  static override flags = {
    ...adminKeyFlags,
    watch: Flags.boolean({
      summary: "Follow a running rebalance until it is idle.",
      aliases: ["follow"],
    }),
    interval: Flags.integer({ summary: "Milliseconds between polls.", default: 1000, min: 50 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(RebalanceStatus);
    const admin = await this.adminClient(flags);
    if (!flags.watch) {
      const answer = await admin.rebalanceStatus();
      this.printResult(
        answer,
        () => `Rebalance: ${rebalanceSummary(answer)}\n${renderMigration(answer)}`,
      );
      return;
    }
    const answer = await followWithProgress(admin, flags.interval, flags.json);
    this.printResult(answer, () => `Rebalance: ${rebalanceSummary(answer)}`);
  }
}
