import { adminKeyFlags, ClusterCommand } from "../cluster-command.js";
import { isDegraded, renderTopology } from "../output/topology-view.js";

export default class Topology extends ClusterCommand {
  static override summary = "Every node: group, state, health, shard counts, last seen, error.";
  static override description =
    "Reads /_miroir/topology. SHARDS is what a node holds now, TARGET what it will hold once pending moves are done. Exits 3 when the cluster is degraded.";
  static override examples = [
    "<%= config.bin %> <%= command.id %>",
    "<%= config.bin %> <%= command.id %> --json | jq '.nodes[] | select(.health != \"healthy\")'",
  ];
  static override flags = { ...adminKeyFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(Topology);
    const topology = await (await this.adminClient(flags)).topology();
    this.printResult(topology, () => renderTopology(topology));
    if (isDegraded(topology)) this.exitDegraded();
  }
}
