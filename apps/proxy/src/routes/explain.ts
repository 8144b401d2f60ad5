import { meiliError } from "@miroir/errors";
import { FULL_ACCESS, type RequestAccess } from "../auth/index.js";
import type { ReadAnswer } from "../scatter/read-pipeline.js";
import type { ReadTrace } from "../scatter/read-trace.js";

/** The request header that asks a search for its plan. */
export const EXPLAIN_HEADER = "x-miroir-explain";

/** The answer field that holds the plan, beside the search's own fields. */
export const EXPLAIN_FIELD = "_miroirExplain";

/** Whether the request's `X-Miroir-Explain` header value asks for the plan. */
export function explainRequested(header: string | undefined): boolean {
  return header?.trim().toLowerCase() === "true";
}

/**
 * A trace for a search whose caller asked to explain it. The plan names every node and
 * its load, so only the master key (or a proxy without one) may ask: any other key gets
 * `miroir_explain_forbidden` rather than an answer that silently lacks the plan.
 */
export function startExplain(access: RequestAccess): ReadTrace {
  if (access !== FULL_ACCESS) {
    throw meiliError(
      "miroir_explain_forbidden",
      "`X-Miroir-Explain` needs the master key: the plan of a search shows the whole fleet. Send the search without the header, or with the master key.",
    );
  }
  return { calls: [] };
}

/** The answer with the plan of its read beside the search's fields. */
export function withExplain(answer: ReadAnswer, trace: ReadTrace, totalMs: number): ReadAnswer {
  const body = answer.body as Record<string, unknown>;
  const hedges = trace.calls.filter((call) => call.reason === "hedge");
  return {
    ...answer,
    body: {
      ...body,
      [EXPLAIN_FIELD]: {
        shards: [...new Set(trace.calls.flatMap((call) => call.shards))].sort((a, b) => a - b),
        calls: trace.calls.map((call) => ({
          nodeId: call.nodeId,
          shards: call.shards,
          reason: call.reason,
          ...(call.load === undefined ? {} : { load: call.load }),
          ...(call.hedgeOf === undefined ? {} : { hedgeOf: call.hedgeOf }),
          outcome: call.outcome ?? "unfinished",
          ms: call.ms ?? null,
        })),
        hedgesSent: hedges.length,
        hedgesWon: hedges.filter((call) => call.outcome === "answered").length,
        mergeMs: trace.mergeMs ?? null,
        totalMs,
      },
    },
  };
}
