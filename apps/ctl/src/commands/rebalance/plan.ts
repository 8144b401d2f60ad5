import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { renderMoves } from "../../output/move-view.js";

export default class RebalancePlan extends ClusterCommand {
  static override summary = "List the shard moves the current topology calls for.";
  static override description =
    "Reads /_miroir/rebalance/status: per shard and group, the nodes holding it now (FROM) and the nodes that must hold it (TO). Changes nothing.";
  static override examples = [
    "<%= config.bin %> <%= command.id %>",
    "<%= config.bin %> <%= command.id %> --json | jq '.pendingMoves | length'",
  ];
  static override flags = { ...adminKeyFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(RebalancePlan);
    const answer = await (await this.adminClient(flags)).rebalanceStatus();
    this.printResult({ pendingMoves: answer.pendingMoves }, () => renderMoves(answer.pendingMoves));
  }
}
