import { adminKeyFlags, ClusterCommand } from "../cluster-command.js";
import { ExitCode } from "../exit-codes.js";
import { renderPass } from "../output/pass-report.js";
import { passScope, passScopeFlags } from "../pass-scope.js";

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
    ...passScopeFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Verify);
    const report = await (await this.adminClient(flags)).verify(passScope(flags));
    this.printResult(report, () => renderPass(report));
    if (report.divergentDocuments > 0 || report.divergentSettings > 0) this.exit(ExitCode.failed);
  }
}
