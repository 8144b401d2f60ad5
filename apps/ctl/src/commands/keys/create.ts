import { Flags } from "@oclif/core";
import { apiKeyFlags, ClusterCommand } from "../../cluster-command.js";

export default class KeysCreate extends ClusterCommand {
  static override summary = "Create an API key on every node.";
  static override description =
    "POST /keys: Miroir creates the key with the same uid on every node, so the key and the tenant tokens it signs work everywhere. Needs the master key.";
  static override examples = [
    "<%= config.bin %> <%= command.id %> --action search --index movies --name search-movies",
    "<%= config.bin %> <%= command.id %> --action documents.add --action tasks.get --expires-at 2027-01-01T00:00:00Z",
  ];
  static override flags = {
    ...apiKeyFlags,
    action: Flags.string({
      summary: "An action the key allows, such as search or documents.* (repeatable).",
      multiple: true,
      required: true,
    }),
    index: Flags.string({
      summary: "An index or pattern the key covers (repeatable; default every index).",
      multiple: true,
      default: ["*"],
    }),
    "expires-at": Flags.string({ summary: "RFC 3339 expiry date; none by default." }),
    name: Flags.string({ summary: "A name for people." }),
    description: Flags.string({ summary: "What the key is for." }),
    uid: Flags.string({ summary: "A UUID to use as the key's uid (default: a random one)." }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(KeysCreate);
    const client = await this.meiliClient(flags);
    const key = await client.createKey({
      actions: flags.action,
      indexes: flags.index,
      expiresAt: flags["expires-at"] ?? null,
      ...(flags.name === undefined ? {} : { name: flags.name }),
      ...(flags.description === undefined ? {} : { description: flags.description }),
      ...(flags.uid === undefined ? {} : { uid: flags.uid }),
    });
    this.printResult(key, () =>
      [
        `Created key ${key.uid}${key.name ? ` (${key.name})` : ""}`,
        `key:     ${key.key}`,
        `actions: ${key.actions.join(",")}`,
        `indexes: ${key.indexes.join(",")}`,
        `expires: ${key.expiresAt ?? "never"}`,
      ].join("\n"),
    );
  }
}
