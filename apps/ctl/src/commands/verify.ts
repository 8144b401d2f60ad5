import { Flags } from "@oclif/core";
import { adminKeyFlags, ClusterCommand } from "../cluster-command.js";
import { ExitCode } from "../exit-codes.js";
import { renderPass } from "../output/pass-report.js";

export default class Verify extends ClusterCommand {
  static override summary = "Compare every shard's replicas and report what differs.";
  static override description =
    "Runs an anti-entropy pass without repairing (POST /_miroir/verify): each replica's (document id, version) fingerprint and each node's index settings are compared. Exits 0 when every replica agrees, 1 when some document or setting differs.";
  static override examples = [
    "<%= config.bin %> <%= command.id %>",
    "<%= config.bin %> <%= command.id %> --index movies --shard 3",
    "<%= config.bin %> <%= command.id %> --json",
  ];
  static override flags = {
    ...adminKeyFlags,
    index: Flags.string({ summary: "Only this index." }),
    shard: Flags.integer({ summary: "Only this shard (of every index in scope).", min: 0 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Verify);
    const report = await (await this.adminClient(flags)).verify({
      ...(flags.index === undefined ? {} : { indexUid: flags.index }),
      ...(flags.shard === undefined ? {} : { shard: flags.shard }),
    });
    this.printResult(report, () => renderPass(report));
    if (report.divergentDocuments > 0 || report.divergentSettings > 0) this.exit(ExitCode.failed);
  }
}
