import { Args } from "@oclif/core";
import { apiKeyFlags, ClusterCommand } from "../../cluster-command.js";

export default class KeysDelete extends ClusterCommand {
  static override summary = "Delete an API key from every node.";
  static override description = "DELETE /keys/{key}: accepts the key's uid or its value.";
  static override examples = [
    "<%= config.bin %> <%= command.id %> 01b4bc42-eb33-4041-b481-254d00cce834",
  ];
  static override args = {
    key: Args.string({ description: "The key's uid or value.", required: true }),
  };

  static override flags = { ...apiKeyFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(KeysDelete);
    const client = await this.meiliClient(flags);
    await client.deleteKey(args.key);
    this.printResult({ deleted: args.key }, () => `Deleted key ${args.key}.`);
  }
}
