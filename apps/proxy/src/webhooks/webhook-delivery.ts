import { gzipSync } from "node:zlib";
import type { MiroirTaskRecord, WebhookSettings } from "@miroir/taskstore";
import { meiliTaskOf } from "../tasks/meili-task.js";

/** How long one receiver may take to accept a notification. */
const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * Meilisearch's notification body: one task object per line (NDJSON), gzipped. Miroir
 * sends one notification per finished Miroir task, since each Miroir task is its own batch.
 */
export function notificationBody(tasks: readonly MiroirTaskRecord[]): Uint8Array {
  return gzipSync(tasks.map((task) => `${JSON.stringify(meiliTaskOf(task))}\n`).join(""));
}

/** POSTs the notification to one webhook; resolves with the receiver's status. */
export async function deliver(webhook: WebhookSettings, body: Uint8Array): Promise<number> {
  const response = await fetch(webhook.url, {
    method: "POST",
    headers: {
      ...webhook.headers,
      "content-type": "application/x-ndjson",
      "content-encoding": "gzip",
    },
    body,
    signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
  });
  await response.body?.cancel();
  return response.status;
}
