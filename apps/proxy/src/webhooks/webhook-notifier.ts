import { FINISHED_TASK_STATUSES, type MiroirTaskRecord, type TaskStore } from "@miroir/taskstore";
import { type DutyRun, type DutyRunner, startDuty } from "../duties/background-duty.js";
import { deliver, notificationBody } from "./webhook-delivery.js";

/** The notifier's one item: its cursor, owned by one process at a time. */
const NOTIFIER_ITEM = "webhook-notifier";
/**
 * Tasks are written to the store a little after their finish time (the poller and
 * coordinated operations stamp `finishedAt` before they write), so each round looks this
 * far behind the cursor and skips what it already sent.
 */
const LOOKBACK_MS = 30_000;
const PAGE_SIZE = 500;

export interface WebhookNotifierOptions {
  readonly store: TaskStore;
  /** Runs the rounds as the `webhook-notifier` duty. */
  readonly duties: DutyRunner;
  readonly intervalMs: number;
}

export interface WebhookNotifier {
  /** One round: notify every webhook of the Miroir tasks finished since the last round. */
  round(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Notifies Miroir's webhooks of finished Miroir tasks, with Miroir's task uids, once per
 * task. The duty is `partitioned` with one item, the notifier's cursor: one process at a
 * time owns it and sends, so several proxies sharing a store never notify twice, and each
 * delivery is fenced by the item's lease (a process paused past it sends nothing when it
 * wakes). The cursor is durable, so a new owner starts where the last one stopped (a task
 * finishing during the hand-over may be missed, never doubled).
 */
export function startWebhookNotifier(options: WebhookNotifierOptions): WebhookNotifier {
  const { store } = options;
  const { logger } = options.duties;
  /** Uid → finish time of the tasks sent while this process owned the cursor. */
  const sent = new Map<number, number>();
  /** Tasks finished at or before this were the previous owner's; unset when not owning. */
  let floor: number | undefined;
  async function round(run: DutyRun): Promise<void> {
    const targets = run.owns(NOTIFIER_ITEM) ? await store.webhooks.list() : [];
    if (targets.length === 0) {
      floor = undefined;
      sent.clear();
      return;
    }
    const cursor = await store.webhookCursor.get();
    if (cursor === null) {
      floor = await run.fenced(() => notifyFromNow(store), NOTIFIER_ITEM);
      return;
    }
    floor ??= cursor;
    const after = floor;
    const due = (await finishedSince(store, cursor - LOOKBACK_MS)).filter(
      (task) => (task.finishedAt ?? 0) > after && !sent.has(task.uid),
    );
    due.sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0) || a.uid - b.uid);
    for (const task of due) {
      const body = notificationBody([task]);
      await run.fenced(async () => {
        await Promise.all(
          targets.map(async (webhook) => {
            const uuid = webhook.uuid;
            try {
              const status = await deliver(webhook, body);
              if (status >= 300) {
                logger.warn({ webhook: uuid, taskUid: task.uid, status }, "webhook refused a task");
              }
            } catch (error) {
              logger.warn({ webhook: uuid, taskUid: task.uid, err: error }, "webhook unreachable");
            }
          }),
        );
        sent.set(task.uid, task.finishedAt ?? 0);
        await store.webhookCursor.advance(task.finishedAt ?? 0);
      }, NOTIFIER_ITEM);
    }
    const newest = Math.max(cursor, ...due.map((task) => task.finishedAt ?? 0));
    for (const [uid, finishedAt] of sent) {
      if (finishedAt < newest - LOOKBACK_MS) sent.delete(uid);
    }
  }

  const rounds = startDuty(options.duties, {
    name: "webhook-notifier",
    intervalMs: options.intervalMs,
    mode: "partitioned",
    run: round,
  });

  return { round: rounds.runNow, stop: rounds.stop };
}

/**
 * Tasks finished until now are nobody's to notify: called when the first webhook is
 * created (and by the first round ever), so a new webhook hears only of later tasks.
 */
export async function notifyFromNow(store: TaskStore): Promise<number> {
  const now = Date.now();
  await store.webhookCursor.advance(now);
  return now;
}

async function finishedSince(store: TaskStore, after: number): Promise<MiroirTaskRecord[]> {
  const found: MiroirTaskRecord[] = [];
  let from: number | undefined;
  for (;;) {
    const page = await store.tasks.list({
      statuses: FINISHED_TASK_STATUSES,
      afterFinishedAt: after,
      limit: PAGE_SIZE,
      ...(from === undefined ? {} : { from }),
    });
    found.push(...page.results);
    if (page.next === null) return found;
    from = page.next;
  }
}
