import { withTestAdminKey } from "../test-config.js";

/** What a client spreading writes and searches over the processes saw. */
export interface LoadOutcome {
  /** Ids of the documents whose write was acknowledged (202 with a task uid). */
  readonly acknowledged: number[];
  readonly taskUids: number[];
  readonly searches: number;
  /** Retries after an error a client may retry (connection refused or reset, 502-504). */
  readonly retries: number;
  /** Writes refused with `503 miroir_task_store_unavailable` (when not retried). */
  readonly storeUnavailable: number;
  /** Answers no client should retry: each one a failure of the test. */
  readonly unretryable: string[];
}

export interface ClientLoad {
  stop(): Promise<void>;
  outcome(): LoadOutcome;
}

const RETRYABLE_STATUSES = new Set([502, 503, 504]);
const STORE_UNAVAILABLE = '"code":"miroir_task_store_unavailable"';

/**
 * A client that writes one document at a time to `writeIndex` and searches `searchIndex`,
 * turn by turn on each process `urls()` lists, the way a load balancer spreads requests;
 * a request that fails in a retryable way goes to the next process (at most 10 tries).
 * Runs until stopped; bounded to 10 000 operations.
 */
export function startClientLoad(
  urls: () => string[],
  writeIndex: string,
  searchIndex: string,
  options: { readonly retryStoreUnavailable?: boolean } = {},
): ClientLoad {
  const acknowledged: number[] = [];
  const taskUids: number[] = [];
  const unretryable: string[] = [];
  let searches = 0;
  let retries = 0;
  let storeUnavailable = 0;
  let stopped = false;
  let turn = 0;

  async function send(path: string, body: unknown): Promise<Response | null> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const targets = urls();
      const url = targets[turn++ % Math.max(1, targets.length)];
      try {
        const answer = await fetch(`${url}${path}`, {
          ...withTestAdminKey(path, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          }),
          signal: AbortSignal.timeout(10_000),
        });
        if (!RETRYABLE_STATUSES.has(answer.status)) return answer;
        const text = await answer.text();
        if (options.retryStoreUnavailable === false && text.includes(STORE_UNAVAILABLE)) {
          return new Response(text, { status: answer.status });
        }
      } catch {
        // Connection refused or reset: the process is gone; the next one takes it.
      }
      retries++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    unretryable.push(`${path}: no process answered in 10 tries`);
    return null;
  }

  const running = (async () => {
    for (let id = 0; id < 10_000 && !stopped; id++) {
      const written = await send(`/indexes/${writeIndex}/documents`, [{ id, text: `load ${id}` }]);
      if (written !== null) {
        const text = await written.text();
        if (written.status === 202) {
          acknowledged.push(id);
          taskUids.push((JSON.parse(text) as { taskUid: number }).taskUid);
        } else if (written.status === 503 && text.includes(STORE_UNAVAILABLE)) {
          storeUnavailable++;
        } else {
          unretryable.push(`write ${id}: ${written.status} ${text}`);
        }
      }
      const searched = await send(`/indexes/${searchIndex}/search`, { q: "note", limit: 5 });
      if (searched !== null) {
        if (searched.status === 200) searches++;
        else unretryable.push(`search: ${searched.status} ${await searched.text()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();

  return {
    async stop() {
      stopped = true;
      await running;
    },
    outcome: () => ({
      acknowledged: [...acknowledged],
      taskUids: [...taskUids],
      searches,
      retries,
      storeUnavailable,
      unretryable: [...unretryable],
    }),
  };
}
