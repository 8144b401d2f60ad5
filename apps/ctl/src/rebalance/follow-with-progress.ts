import type { AdminClient, RebalanceAnswer } from "../client/admin-client.js";
import { liveStatus, progressStream } from "../output/live-status.js";
import { progressText } from "../output/topology-view.js";
import { followRebalance } from "./follow-rebalance.js";

/**
 * Follows a rebalance until it is idle, drawing its progress on a terminal (plain lines
 * otherwise, nothing when `quiet`), and answers the last status.
 */
export async function followWithProgress(
  admin: Pick<AdminClient, "rebalanceStatus">,
  intervalMs: number,
  quiet: boolean,
): Promise<RebalanceAnswer> {
  const live = liveStatus(progressStream(), { quiet });
  try {
    const { answer } = await followRebalance(admin, {
      intervalMs,
      onProgress: (status, fraction) => live.update(progressText(status), fraction),
    });
    return answer;
  } finally {
    live.stop();
  }
}
