import { adminKeyFlags, ClusterCommand } from "../cluster-command.js";
import { liveStatus, progressStream } from "../output/live-status.js";
import { renderPass } from "../output/pass-report.js";
import { passScope, passScopeFlags } from "../pass-scope.js";

const PROGRESS_INTERVAL_MS = 500;

export default class Repair extends ClusterCommand {
  static override summary = "Compare every shard's replicas and repair what differs.";
  static override description =
    "Runs an anti-entropy pass that repairs (POST /_miroir/repair): the newest version of each document is copied where it is missing or older, deleted documents are removed where a replica still holds them, and a node whose index settings differ from the majority's is set back. Shows progress on a terminal; exits 0 once the pass is over.";
  static override examples = [
    "<%= config.bin %> <%= command.id %>",
    "<%= config.bin %> <%= command.id %> --index movies",
    "<%= config.bin %> <%= command.id %> --json",
  ];
  static override flags = {
    ...adminKeyFlags,
    ...passScopeFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Repair);
    const admin = await this.adminClient(flags);
    const live = liveStatus(progressStream(), { quiet: flags.json });
    const timer = setInterval(() => {
      admin.repairStatus().then(
        (status) => {
          const progress = status.running?.progress;
          if (progress === null || progress === undefined) return;
          live.update(
            `repairing ${progress.indexUid}: shard ${progress.shardsDone}/${progress.shardsTotal}`,
            progress.shardsTotal === 0 ? 0 : progress.shardsDone / progress.shardsTotal,
          );
        },
        () => undefined,
      );
    }, PROGRESS_INTERVAL_MS);
    try {
      const report = await admin.repair(passScope(flags));
      clearInterval(timer);
      live.stop();
      this.printResult(report, () => renderPass(report));
    } finally {
      clearInterval(timer);
      live.stop();
    }
  }
}
