import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { renderAliases } from "../../output/alias-view.js";

export default class AliasList extends ClusterCommand {
  static override summary = "List the aliases and the indexes they name.";
  static override description = "GET /_miroir/aliases.";
  static override examples = ["<%= config.bin %> <%= command.id %>"];
  static override flags = { ...adminKeyFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(AliasList);
    const answer = await (await this.adminClient(flags)).aliases();
    this.printResult(answer, () => renderAliases(answer.results));
  }
}
