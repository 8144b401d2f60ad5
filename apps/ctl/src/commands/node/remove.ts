import { Args, Flags } from "@oclif/core";
import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { rebalanceSummary } from "../../output/topology-view.js";
import { followWithProgress } from "../../rebalance/follow-with-progress.js";

export default class NodeRemove extends ClusterCommand {
  static override summary = "Remove a node from the topology.";
  static override description =
    "DELETE /_miroir/nodes/{id}. Miroir refuses to remove an active node, and a draining node until its shards have moved: drain it first (a drain that finishes removes the node itself).";
  static override examples = [
    "<%= config.bin %> node drain meili-2 && <%= config.bin %> <%= command.id %> meili-2",
  ];
  static override args = { id: Args.string({ description: "The node id.", required: true }) };
  static override flags = {
    ...adminKeyFlags,
    follow: Flags.boolean({
      summary: "Follow the data movement it starts until the rebalance is idle.",
    }),
    interval: Flags.integer({ summary: "Milliseconds between polls.", default: 1000, min: 50 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(NodeRemove);
    const admin = await this.adminClient(flags);
    const topology = await admin.removeNode(args.id);
    this.printResult(topology, () => `Removed ${args.id}.`);
    if (flags.follow) {
      const finished = await followWithProgress(admin, flags.interval, flags.json);
      if (!flags.json) this.log(`Rebalance: ${rebalanceSummary(finished)}`);
    }
  }
}
