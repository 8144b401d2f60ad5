import { Flags } from "@oclif/core";
import { adminKeyFlags, ClusterCommand } from "../cluster-command.js";
import { orDash, renderTable } from "../output/table.js";

export default class Shards extends ClusterCommand {
  static override summary = "Which nodes hold each shard, per replica group.";
  static override description =
    "Reads /_miroir/shards. NODES hold the shard now; TARGET will hold it once pending moves are done. Filter by node (holding now or later) and by group.";
  static override examples = [
    "<%= config.bin %> <%= command.id %>",
    "<%= config.bin %> <%= command.id %> --node meili-2",
    "<%= config.bin %> <%= command.id %> --group 1 --json",
  ];
  static override flags = {
    ...adminKeyFlags,
    node: Flags.string({ summary: "Only shards this node holds now or will hold." }),
    group: Flags.integer({ summary: "Only this replica group.", min: 0 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Shards);
    const answer = await (await this.adminClient(flags)).shards();
    const rows = answer.shards.flatMap((entry) =>
      entry.groups
        .filter((group) => flags.group === undefined || group.group === flags.group)
        .filter(
          (group) =>
            flags.node === undefined ||
            group.nodes.includes(flags.node) ||
            group.targetNodes.includes(flags.node),
        )
        .map((group) => ({ shard: entry.shard, ...group })),
    );
    this.printResult({ shards: rows }, () => {
      if (rows.length === 0) return "No shard matches.";
      return renderTable(rows, [
        { heading: "SHARD", cell: (row) => String(row.shard), align: "right" },
        { heading: "GROUP", cell: (row) => String(row.group), align: "right" },
        { heading: "NODES", cell: (row) => orDash(row.nodes) },
        { heading: "TARGET", cell: (row) => orDash(row.targetNodes) },
      ]);
    });
  }
}
