import type { HintRecord } from "@miroir/taskstore";
import type { ProxyContext } from "../context.js";
import { isSuccess } from "../node-client/index.js";

/**
 * Every document write Miroir sends a node carries its version as the node task's
 * `customMetadata` (`miroir-write:<version>`). A write whose answer was lost (a timeout, a
 * connection reset after the node had read it) becomes a hint although the node may have
 * enqueued it; before a hint is replayed, the node's own tasks tell whether it did, and a
 * write the node already holds is not sent again. The original sits in the node's queue
 * ahead of every later write of its lane (the lane holds them back as hints), so skipping
 * the copy never changes the order in which the node applies them: a retried node write is
 * applied once, in its place.
 */
const TAG = "miroir-write:";

export function writeTag(version: number): string {
  return `${TAG}${version}`;
}

function tagOf(hint: HintRecord): string | undefined {
  const tag = hint.request.query?.customMetadata;
  return typeof tag === "string" && tag.startsWith(TAG) ? tag : undefined;
}

/** Node tasks looked at before a replay: at most this many pages of 1000. */
const MAX_PAGES = 20;
const PAGE = 1000;
/** Slack for a node clock behind Miroir's when reading tasks enqueued since a hint. */
const CLOCK_SLACK_MS = 10 * 60_000;

/**
 * The hints among `hints` whose write the node already enqueued (and did not fail or
 * cancel). Null when the node's tasks could not be read: the caller replays everything,
 * which is safe (an ordered run of upserts applied again ends the same).
 */
export async function alreadyDelivered(
  ctx: ProxyContext,
  nodeId: string,
  hints: readonly HintRecord[],
): Promise<Set<number> | null> {
  const tagged = hints.filter((hint) => tagOf(hint) !== undefined);
  if (tagged.length === 0) return new Set();
  const since = Math.min(...tagged.map((hint) => hint.createdAt)) - CLOCK_SLACK_MS;
  const indexUids = [...new Set(tagged.map((hint) => hint.indexUid))];
  const held = new Set<string>();
  let from: number | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await ctx.nodes
      .call(nodeId, {
        method: "GET",
        path: "/tasks",
        query: {
          indexUids: indexUids.join(","),
          types: "documentAdditionOrUpdate",
          statuses: "enqueued,processing,succeeded",
          afterEnqueuedAt: new Date(since).toISOString(),
          limit: String(PAGE),
          ...(from === null ? {} : { from: String(from) }),
        },
      })
      .catch(() => null);
    if (answer === null || !isSuccess(answer)) return null;
    const body = answer.body as {
      results: { customMetadata?: string | null }[];
      next: number | null;
    };
    for (const task of body.results) {
      if (typeof task.customMetadata === "string") held.add(task.customMetadata);
    }
    if (body.next === null || body.next === undefined) {
      return new Set(tagged.filter((hint) => held.has(tagOf(hint) as string)).map((h) => h.seq));
    }
    from = body.next;
  }
  // Too many tasks to be sure: everything is replayed.
  return null;
}
