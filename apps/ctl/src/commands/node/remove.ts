import { Args } from "@oclif/core";
import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";

export default class NodeRemove extends ClusterCommand {
  static override summary = "Remove a node from the topology.";
  static override description =
    "DELETE /_miroir/nodes/{id}. Miroir refuses to remove an active node: drain it first.";
  static override examples = [
    "<%= config.bin %> node drain meili-2 && <%= config.bin %> <%= command.id %> meili-2",
  ];
  static override args = { id: Args.string({ description: "The node id.", required: true }) };
  static override flags = { ...adminKeyFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(NodeRemove);
    const topology = await (await this.adminClient(flags)).removeNode(args.id);
    this.printResult(topology, () => `Removed ${args.id}.`);
  }
}
