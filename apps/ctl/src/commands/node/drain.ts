import { Args } from "@oclif/core";
import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";

export default class NodeDrain extends ClusterCommand {
  static override summary = "Drain a node: its shards move to the rest of its group.";
  static override description =
    "POST /_miroir/nodes/{id}/drain. A drained node can then be removed with `node remove`.";
  static override examples = ["<%= config.bin %> <%= command.id %> meili-2"];
  static override args = { id: Args.string({ description: "The node id.", required: true }) };
  static override flags = { ...adminKeyFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(NodeDrain);
    const topology = await (await this.adminClient(flags)).drainNode(args.id);
    const drained = topology.nodes.find((node) => node.id === args.id);
    this.printResult(
      topology,
      () =>
        `${args.id} is ${drained?.state ?? "draining"}; its ${drained?.shardCount ?? 0} shards are to move (see \`rebalance plan\`).`,
    );
  }
}
