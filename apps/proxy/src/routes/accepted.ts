import type { MiroirTaskRecord } from "@miroir/taskstore";
import { enqueuedTaskOf } from "../tasks/meili-task.js";

export const DEGRADED_HEADER = "x-miroir-degraded";

/** Meilisearch's `202 {taskUid, indexUid, status, type, enqueuedAt}` for a Miroir task. */
export function accepted(task: MiroirTaskRecord, degraded?: string): Response {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (degraded !== undefined) headers[DEGRADED_HEADER] = degraded;
  return new Response(JSON.stringify(enqueuedTaskOf(task)), { status: 202, headers });
}
