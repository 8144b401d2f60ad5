import { adminKeyFlags, ClusterCommand } from "../cluster-command.js";
import { isDegraded, statusLine } from "../output/topology-view.js";

export default class Status extends ClusterCommand {
  static override summary = "One-line cluster summary: node health, shard coverage, rebalance.";
  static override description =
    "Reads /_miroir/topology and /_miroir/rebalance/status. Exits 3 when the cluster is degraded (a live node fails its health probes, or a shard has fewer reachable replicas than it should), so scripts can gate on it.";
  static override examples = [
    "<%= config.bin %> <%= command.id %>",
    "<%= config.bin %> <%= command.id %> --url https://search.example.com --json",
    "<%= config.bin %> <%= command.id %> || echo 'degraded or unreachable'",
  ];
  static override flags = { ...adminKeyFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(Status);
    const admin = await this.adminClient(flags);
    const [topology, rebalance] = await Promise.all([admin.topology(), admin.rebalanceStatus()]);
    const degraded = isDegraded(topology);
    this.printResult({ degraded, topology, rebalance }, () => statusLine(topology, rebalance));
    if (degraded) this.exitDegraded();
  }
}
