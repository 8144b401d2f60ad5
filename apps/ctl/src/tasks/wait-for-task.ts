import { FINISHED_STATUSES, type MeiliClient, type MeiliTask } from "../client/meili-client.js";

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** Called after every poll, e.g. to redraw a spinner. */
  readonly onPoll?: (task: MeiliTask) => void;
}

export type WaitOutcome =
  | { readonly finished: true; readonly task: MeiliTask }
  | { readonly finished: false; readonly task: MeiliTask };

/** Polls `GET /tasks/{uid}` until the task is finished or the timeout has passed. */
export async function waitForTask(
  client: Pick<MeiliClient, "getTask">,
  uid: number,
  options: WaitOptions,
): Promise<WaitOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const task = await client.getTask(uid);
    options.onPoll?.(task);
    if (FINISHED_STATUSES.has(task.status)) return { finished: true, task };
    const left = deadline - Date.now();
    if (left <= 0) return { finished: false, task };
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs, left)));
  }
}
