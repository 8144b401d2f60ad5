import { randomBytes } from "node:crypto";
import type { ReadAnswer } from "../scatter/read-pipeline.js";

export interface SearchCoalescingOptions {
  /** How long after it started an in-flight search still takes new subscribers. */
  readonly windowMs: number;
  /** Subscribers of one in-flight search, the one that started it included. */
  readonly maxSubscribers: number;
  /** In-flight searches tracked at once; past it, searches run on their own. */
  readonly maxPending: number;
}

/** Identical searches in flight together share one scatter and one merge. */
export interface SearchCoalescer {
  /**
   * Answers `search` for `key`: joins the in-flight search with the same key when it
   * started less than the window ago and has room, else starts it. Every caller gets its
   * own copy of the answer (or the same error).
   */
  run(key: string, search: () => Promise<ReadAnswer>): Promise<ReadAnswer>;
  /** Searches answered by joining another one, since the start. */
  readonly joined: number;
}

interface InFlight {
  readonly answer: Promise<ReadAnswer>;
  readonly startedAt: number;
  subscribers: number;
}

export function createSearchCoalescer(options: SearchCoalescingOptions): SearchCoalescer {
  const inFlight = new Map<string, InFlight>();
  let joined = 0;
  return {
    get joined() {
      return joined;
    },
    run(key, search) {
      const now = Date.now();
      const running = inFlight.get(key);
      if (
        running !== undefined &&
        now - running.startedAt <= options.windowMs &&
        running.subscribers < options.maxSubscribers
      ) {
        running.subscribers += 1;
        joined += 1;
        return running.answer.then(joinerCopyOf);
      }
      if (running === undefined && inFlight.size >= options.maxPending) return search();
      const answer = search();
      const started: InFlight = { answer, startedAt: now, subscribers: 1 };
      inFlight.set(key, started);
      const forget = () => {
        if (inFlight.get(key) === started) inFlight.delete(key);
      };
      answer.then(forget, forget);
      // Joiners come only while the search runs (it is forgotten first thing once it
      // settles): a search nobody joined hands its own answer over without a copy.
      return answer.then((settled) => (started.subscribers > 1 ? copyOf(settled) : settled));
    },
  };
}

function copyOf(answer: ReadAnswer): ReadAnswer {
  return { body: structuredClone(answer.body), degraded: answer.degraded };
}

/**
 * A joiner's copy: Meilisearch names every search request with its own `requestUid` (a
 * UUID v7), so a joiner gets a new one rather than the first search's.
 */
function joinerCopyOf(answer: ReadAnswer): ReadAnswer {
  const copy = copyOf(answer);
  const body = copy.body as { requestUid?: unknown } | null;
  if (body !== null && typeof body === "object" && typeof body.requestUid === "string") {
    body.requestUid = uuidV7();
  }
  return copy;
}

function uuidV7(): string {
  const bytes = randomBytes(16);
  const now = BigInt(Date.now());
  for (let i = 0; i < 6; i++) bytes[i] = Number((now >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The coalescing key of a search: the index and the request body with its object keys in
 * a fixed order, so the same search written two ways shares one scatter. A tenant token's
 * filter is already part of the body.
 */
export function searchKey(indexUid: string, body: unknown): string {
  return JSON.stringify([indexUid, normalised(body)]);
}

function normalised(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalised);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, normalised((value as Record<string, unknown>)[key])]),
  );
}
