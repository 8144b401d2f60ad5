import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { rebalanceSummary } from "../../output/topology-view.js";

export default class RebalanceCancel extends ClusterCommand {
  static override summary = "Cancel the running migration: the old owners keep every shard.";
  static override description =
    "POST /_miroir/rebalance/cancel. Nodes that were joining leave the fleet, draining nodes become active again, and the copies made so far are deleted. Exits 1 when no migration runs or it is past its cut-over.";
  static override examples = ["<%= config.bin %> <%= command.id %>"];
  static override flags = { ...adminKeyFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(RebalanceCancel);
    const answer = await (await this.adminClient(flags)).cancelRebalance();
    this.printResult(answer, () => `Rebalance canceling: ${rebalanceSummary(answer)}`);
  }
}
