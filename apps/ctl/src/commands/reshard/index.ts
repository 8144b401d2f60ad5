import { Args, Flags } from "@oclif/core";
import type { AdminClient, ReshardAnswer } from "../../client/admin-client.js";
import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { ExitCode } from "../../exit-codes.js";
import { liveStatus, progressStream } from "../../output/live-status.js";
import { reshardFraction, reshardProgressText, reshardSummary } from "../../output/reshard-view.js";

export default class Reshard extends ClusterCommand {
  static override summary = "Change an index's shard count online.";
  static override description =
    "POST /_miroir/indexes/{uid}/reshard: a new index with the new shard count is filled from the old one while clients keep reading and writing, compared with it, then the index name points at it. Follows the reshard to its end with a progress bar (documents copied of the total, rate, phase) unless --no-wait. Exits 1 when it fails or is canceled. See also `reshard status` and `reshard cancel`.";
  static override examples = [
    "<%= config.bin %> <%= command.id %> movies --shards 64",
    "<%= config.bin %> <%= command.id %> movies --shards 16 --no-wait --json",
  ];
  static override args = {
    index: Args.string({ description: "The index (or its alias) to reshard.", required: true }),
  };
  static override flags = {
    ...adminKeyFlags,
    shards: Flags.integer({ summary: "The new shard count.", required: true, min: 1 }),
    wait: Flags.boolean({
      summary: "Follow the reshard to its end.",
      default: true,
      allowNo: true,
    }),
    interval: Flags.integer({ summary: "Milliseconds between polls.", default: 1000, min: 50 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Reshard);
    const admin = await this.adminClient(flags);
    const started = await admin.startReshard(args.index, flags.shards);
    if (!flags.wait) {
      this.printResult(started, () => `Reshard started: ${reshardProgressText(started)}.`);
      return;
    }
    const finished = await followReshard(admin, args.index, flags.interval, flags.json);
    this.printResult(finished, () => reshardSummary(finished));
    if (finished.status === "failed" || finished.status === "canceled") this.exit(ExitCode.failed);
  }
}

/**
 * Polls a reshard until it ends (or switches, when the old index is kept more than a
 * minute), drawing
 * its progress: a bar on a terminal, one line per change elsewhere, nothing when `quiet`.
 */
export async function followReshard(
  admin: Pick<AdminClient, "reshardStatus">,
  index: string,
  intervalMs: number,
  quiet: boolean,
): Promise<ReshardAnswer> {
  const live = liveStatus(progressStream(), { quiet });
  try {
    for (;;) {
      const status = await admin.reshardStatus(index);
      if (status.status !== "processing") return status;
      // Switched, the old index kept for a while: the clients' part is over.
      const dropIn = Date.parse(status.dropAfter ?? "") - Date.now();
      if (status.phase === "switched" && dropIn > 60_000) return status;
      live.update(reshardProgressText(status), reshardFraction(status));
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  } finally {
    live.stop();
  }
}
