import { Agent, fetch } from "undici";

/**
 * Keep-alive connections are given up after 2 s idle, well before a server closes them (Node's
 * 5 s, checked every second): a call never goes out on a connection the server is closing
 * (a write round can leave one path's connections idle for many seconds).
 */
let agent = new Agent({ keepAliveTimeout: 2_000, keepAliveMaxTimeout: 2_000 });

/**
 * Drops every kept-alive connection: a run starts on new ones. Preparing a round's batches
 * can block the event loop for seconds on a busy machine, past both the 2 s above (its
 * timer cannot fire) and the server's own idle timeout, which then closes a connection the
 * next call would still pick.
 */
export function dropIdleConnections(): void {
  const previous = agent;
  agent = new Agent({ keepAliveTimeout: 2_000, keepAliveMaxTimeout: 2_000 });
  void previous.close().catch(() => undefined);
}

/**
 * The few Meilisearch calls the suites make to set indexes up and wait for writes, against
 * a node or Miroir alike (Miroir answers them as one node would).
 */
export interface MeiliEndpoint {
  readonly url: string;
  /** `Authorization` and friends; empty when no key is set. */
  readonly headers: Record<string, string>;
}

export function endpoint(url: string, key: string | null): MeiliEndpoint {
  return { url, headers: key === null ? {} : { authorization: `Bearer ${key}` } };
}

async function enqueue(
  target: MeiliEndpoint,
  path: string,
  body: string,
  contentType: string,
): Promise<number> {
  const answer = await fetch(`${target.url}${path}`, {
    method: "POST",
    headers: { ...target.headers, "content-type": contentType },
    body,
    dispatcher: agent,
  });
  const task = (await answer.json()) as { taskUid?: number };
  if (answer.status !== 202 || typeof task.taskUid !== "number") {
    throw new Error(`${target.url}${path} answered ${answer.status}: ${JSON.stringify(task)}`);
  }
  return task.taskUid;
}

export function createIndex(target: MeiliEndpoint, uid: string): Promise<number> {
  return enqueue(target, "/indexes", JSON.stringify({ uid, primaryKey: "id" }), "application/json");
}

export function addNdjson(target: MeiliEndpoint, uid: string, ndjson: string): Promise<number> {
  return enqueue(target, `/indexes/${uid}/documents`, ndjson, "application/x-ndjson");
}

/** Waits until every task succeeded; a failed or canceled task is an error. */
export async function waitForTasks(
  target: MeiliEndpoint,
  taskUids: readonly number[],
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const uid of taskUids) {
    for (;;) {
      const answer = await fetch(`${target.url}/tasks/${uid}`, {
        headers: target.headers,
        dispatcher: agent,
      });
      const task = (await answer.json()) as { status?: string; error?: unknown };
      if (task.status === "succeeded") break;
      if (task.status === "failed" || task.status === "canceled" || !answer.ok) {
        throw new Error(`task ${uid} on ${target.url}: ${JSON.stringify(task)}`);
      }
      if (Date.now() > deadline)
        throw new Error(`task ${uid} on ${target.url} is still ${task.status}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

/** Creates `uid` and adds `documents` in batches, waiting until all are indexed. */
export async function loadIndex(
  target: MeiliEndpoint,
  uid: string,
  batches: readonly string[],
): Promise<void> {
  await waitForTasks(target, [await createIndex(target, uid)]);
  const tasks: number[] = [];
  for (const batch of batches) tasks.push(await addNdjson(target, uid, batch));
  await waitForTasks(target, tasks);
}
