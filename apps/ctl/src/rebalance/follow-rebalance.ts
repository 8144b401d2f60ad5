import type { AdminClient, RebalanceAnswer } from "../client/admin-client.js";

export interface FollowOptions {
  readonly intervalMs: number;
  /** Called after every poll with the fraction of moves done since following began. */
  readonly onProgress: (answer: RebalanceAnswer, fraction: number) => void;
  /** Bounds the wait; `undefined` follows until the rebalance is idle. */
  readonly timeoutMs?: number;
}

/**
 * Polls the rebalance status until it is `idle`. Progress is the running migration's
 * share of verified shard moves; without one, the share of the moves pending at the first
 * poll that are gone.
 */
export async function followRebalance(
  admin: Pick<AdminClient, "rebalanceStatus">,
  options: FollowOptions,
): Promise<{ answer: RebalanceAnswer; finished: boolean }> {
  const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
  let initial: number | undefined;
  for (;;) {
    const answer = await admin.rebalanceStatus();
    const pending = answer.pendingMoves.length;
    initial ??= pending;
    const migration = answer.migration;
    const fraction =
      migration !== undefined && migration !== null && migration.shardsTotal > 0
        ? migration.shardsDone / migration.shardsTotal
        : initial === 0
          ? 1
          : (initial - Math.min(pending, initial)) / initial;
    options.onProgress(answer, answer.status === "idle" ? 1 : fraction);
    if (answer.status === "idle") return { answer, finished: true };
    if (deadline !== undefined && Date.now() >= deadline) return { answer, finished: false };
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
