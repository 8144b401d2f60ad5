import { Flags } from "@oclif/core";
import { CliFailure } from "../../cli-failure.js";
import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { progressText, rebalanceSummary } from "../../output/topology-view.js";
import { followWithProgress } from "../../rebalance/follow-with-progress.js";

export default class RebalanceApply extends ClusterCommand {
  static override summary = "Ask Miroir to execute the pending shard moves.";
  static override description =
    "POST /_miroir/rebalance: starts the migration of the pending shard moves, or answers the one already running. With --wait, follows it until it is idle, with a progress bar on a terminal. Exits 1 when the proxy has no rebalancer to run the moves: nothing is moved then.";
  static override examples = [
    "<%= config.bin %> rebalance plan && <%= config.bin %> <%= command.id %> --wait",
  ];
  static override flags = {
    ...adminKeyFlags,
    wait: Flags.boolean({ summary: "Follow the rebalance until it is idle.", aliases: ["follow"] }),
    interval: Flags.integer({ summary: "Milliseconds between polls.", default: 1000, min: 50 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(RebalanceApply);
    const admin = await this.adminClient(flags);
    const answer = await admin.startRebalance();
    if (answer.started !== true && !answer.rebalancerAvailable) {
      this.printResult(answer, () => `Rebalance: ${rebalanceSummary(answer)}`);
      const pending = answer.pendingMoves.length;
      throw new CliFailure(
        `This Miroir runs no rebalancer, so nothing was moved (${pending} shard move${pending === 1 ? "" : "s"} pending; see \`rebalance plan\`).`,
      );
    }
    if (!flags.wait) {
      this.printResult(answer, () =>
        answer.started === true
          ? `Rebalance started: ${progressText(answer)}`
          : answer.status === "running"
            ? `Rebalance already running: ${progressText(answer)}`
            : `Nothing to move: ${rebalanceSummary(answer)}`,
      );
      return;
    }
    const finished = await followWithProgress(admin, flags.interval, flags.json);
    this.printResult(finished, () => `Rebalance: ${rebalanceSummary(finished)}`);
  }
}
