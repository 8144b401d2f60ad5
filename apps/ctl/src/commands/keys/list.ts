import { Flags } from "@oclif/core";
import { apiKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { orDash, renderTable } from "../../output/table.js";

export default class KeysList extends ClusterCommand {
  static override summary = "List the cluster's API keys.";
  static override description =
    "Reads GET /keys. Needs the master key (--api-key or MIROIR_MASTER_KEY); key values are secrets, so mind where the output goes.";
  static override examples = [
    "<%= config.bin %> <%= command.id %>",
    "<%= config.bin %> <%= command.id %> --limit 100 --json",
  ];
  static override flags = {
    ...apiKeyFlags,
    limit: Flags.integer({ summary: "How many keys to show.", default: 20, min: 1 }),
    offset: Flags.integer({ summary: "How many keys to skip.", default: 0, min: 0 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(KeysList);
    const client = await this.meiliClient(flags);
    const page = await client.listKeys({ offset: flags.offset, limit: flags.limit });
    this.printResult(page, () => {
      if (page.results.length === 0) return "No keys.";
      const table = renderTable(page.results, [
        { heading: "UID", cell: (key) => key.uid },
        { heading: "NAME", cell: (key) => orDash(key.name) },
        { heading: "ACTIONS", cell: (key) => orDash(key.actions) },
        { heading: "INDEXES", cell: (key) => orDash(key.indexes) },
        { heading: "EXPIRES AT", cell: (key) => orDash(key.expiresAt) },
        { heading: "KEY", cell: (key) => key.key },
      ]);
      return `${table}\n${page.results.length} of ${page.total} keys`;
    });
  }
}
