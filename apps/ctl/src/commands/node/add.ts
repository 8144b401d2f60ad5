import { Flags } from "@oclif/core";
import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { rebalanceSummary } from "../../output/topology-view.js";
import { followWithProgress } from "../../rebalance/follow-with-progress.js";

export default class NodeAdd extends ClusterCommand {
  static override summary = "Add a Meilisearch node to a replica group.";
  static override description =
    "POST /_miroir/nodes. The node joins in state `joining` and receives no reads until the shards it will own have moved (the rebalancer starts when enabled; `rebalance plan` lists them). --follow shows the movement until it is done.";
  static override examples = [
    "<%= config.bin %> <%= command.id %> --id meili-3 --address http://meili-3:7700 --replica-group 0",
  ];
  static override flags = {
    ...adminKeyFlags,
    id: Flags.string({ summary: "Stable node id (never reused).", required: true }),
    address: Flags.string({ summary: "The node's http(s) URL.", required: true }),
    "replica-group": Flags.integer({ summary: "Its replica group.", default: 0, min: 0 }),
    follow: Flags.boolean({
      summary: "Follow the data movement it starts until the rebalance is idle.",
    }),
    interval: Flags.integer({ summary: "Milliseconds between polls.", default: 1000, min: 50 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(NodeAdd);
    const admin = await this.adminClient(flags);
    const topology = await admin.addNode({
      id: flags.id,
      address: flags.address,
      replicaGroup: flags["replica-group"],
    });
    const added = topology.nodes.find((node) => node.id === flags.id);
    this.printResult(
      topology,
      () =>
        `Added ${flags.id} to replica group ${flags["replica-group"]} as ${added?.state ?? "joining"}; it will hold ${added?.targetShardCount ?? 0} shards (see \`rebalance plan\`).`,
    );
    if (flags.follow) {
      const finished = await followWithProgress(admin, flags.interval, flags.json);
      if (!flags.json) this.log(`Rebalance: ${rebalanceSummary(finished)}`);
    }
  }
}
