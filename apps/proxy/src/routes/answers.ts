import type { MiroirTaskRecord } from "@miroir/taskstore";
import type { ReadAnswer } from "../scatter/read-pipeline.js";
import { enqueuedTaskOf } from "../tasks/meili-task.js";

/** Names what an answer lacks: the shards a read could not cover, the groups a write missed. */
export const DEGRADED_HEADER = "x-miroir-degraded";

function headersOf(degraded: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (degraded !== undefined) headers[DEGRADED_HEADER] = degraded;
  return headers;
}

/** Meilisearch's `202 {taskUid, indexUid, status, type, enqueuedAt}` for a Miroir task. */
export function accepted(task: MiroirTaskRecord, degraded?: string): Response {
  return enqueuedAnswer(task, 202, degraded);
}

/**
 * The enqueued task with another status: a node answers `POST /tasks/cancel` and
 * `DELETE /tasks` with 200.
 */
export function enqueuedAnswer(
  task: MiroirTaskRecord,
  status: 200 | 202,
  degraded?: string,
): Response {
  return new Response(JSON.stringify(enqueuedTaskOf(task)), {
    status,
    headers: headersOf(degraded),
  });
}

/** The 200 JSON answer of a merged read. */
export function readResponse(answer: ReadAnswer): Response {
  return new Response(JSON.stringify(answer.body), {
    status: 200,
    headers: headersOf(answer.degraded),
  });
}
