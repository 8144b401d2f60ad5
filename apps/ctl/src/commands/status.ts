import { adminKeyFlags, ClusterCommand } from "../cluster-command.js";
import { isDegraded, renderProxies, statusLine } from "../output/topology-view.js";

export default class Status extends ClusterCommand {
  static override summary =
    "Cluster summary: node health, shard coverage, rebalance, and the Miroir processes.";
  static override description =
    "Reads /_miroir/topology, /_miroir/rebalance/status and /_miroir/proxies: one summary line, then every Miroir process sharing the task store (id, address, version, leader, duties, last seen). Exits 3 when the cluster is degraded (a live node fails its health probes, or a shard has fewer reachable replicas than it should), so scripts can gate on it.";
  static override examples = [
    "<%= config.bin %> <%= command.id %>",
    "<%= config.bin %> <%= command.id %> --url https://search.example.com --json",
    "<%= config.bin %> <%= command.id %> || echo 'degraded or unreachable'",
  ];
  static override flags = { ...adminKeyFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(Status);
    const admin = await this.adminClient(flags);
    const [topology, rebalance, proxies] = await Promise.all([
      admin.topology(),
      admin.rebalanceStatus(),
      admin.proxies(),
    ]);
    const degraded = isDegraded(topology);
    this.printResult(
      { degraded, topology, rebalance, proxies },
      () => `${statusLine(topology, rebalance)}\n${renderProxies(proxies)}`,
    );
    if (degraded) this.exitDegraded();
  }
}
