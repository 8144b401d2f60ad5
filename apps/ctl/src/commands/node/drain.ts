import { Args, Flags } from "@oclif/core";
import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { rebalanceSummary } from "../../output/topology-view.js";
import { followWithProgress } from "../../rebalance/follow-with-progress.js";

export default class NodeDrain extends ClusterCommand {
  static override summary = "Drain a node: its shards move to the rest of its group.";
  static override description =
    "POST /_miroir/nodes/{id}/drain. Its shards move to the rest of its group (the rebalancer starts when enabled); once they have, the node leaves the fleet (`removed`). --follow shows the movement until it is done.";
  static override examples = ["<%= config.bin %> <%= command.id %> meili-2"];
  static override args = { id: Args.string({ description: "The node id.", required: true }) };
  static override flags = {
    ...adminKeyFlags,
    follow: Flags.boolean({
      summary: "Follow the data movement it starts until the rebalance is idle.",
    }),
    interval: Flags.integer({ summary: "Milliseconds between polls.", default: 1000, min: 50 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(NodeDrain);
    const admin = await this.adminClient(flags);
    const topology = await admin.drainNode(args.id);
    const drained = topology.nodes.find((node) => node.id === args.id);
    this.printResult(
      topology,
      () =>
        `${args.id} is ${drained?.state ?? "draining"}; its ${drained?.shardCount ?? 0} shards are to move (see \`rebalance plan\`).`,
    );
    if (flags.follow) {
      const finished = await followWithProgress(admin, flags.interval, flags.json);
      if (!flags.json) this.log(`Rebalance: ${rebalanceSummary(finished)}`);
    }
  }
}
