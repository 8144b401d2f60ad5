import { randomUUID } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { QueueHold } from "../node-control.js";

export interface QueueHoldOptions {
  /** the node's address */
  url: string;
  /** a key allowed to change settings and delete indexes (the master key) */
  key: string | null;
  /** how long to wait for the node to reach the blocking task (ms) */
  timeoutMs?: number;
}

interface Answer {
  status: number;
  body: { taskUid?: number; status?: string; error?: { message: string } } | undefined;
}

async function call(options: QueueHoldOptions, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.key !== null) headers.authorization = `Bearer ${options.key}`;
  const response = await fetch(`${options.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) } as Answer;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`holdQueue: ${what} within ${timeoutMs} ms`);
}

/**
 * Holds a real Meilisearch node's task queue: a settings task on a private index adds a
 * REST embedder whose URL is a stub in this process. Meilisearch asks the embedder for a
 * test embedding while processing that task, and the stub keeps the request open, so the
 * scheduler is stuck inside the task and every task enqueued after it stays `enqueued`.
 * `release()` answers the stub, lets the task finish and deletes the private index.
 * The node must allow calls to loopback (`allowedIpNetworks`, set by `startCluster`).
 */
export async function holdRealQueue(options: QueueHoldOptions): Promise<QueueHold> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const held: ServerResponse[] = [];
  let released = false;
  let asked = 0;
  const answer = (response: ServerResponse) => {
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ embedding: [0] }));
  };
  const stub = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      asked++;
      if (released) answer(response);
      else held.push(response);
    });
  });
  await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
  const closeStub = () =>
    new Promise<void>((resolve) => {
      for (const response of held.splice(0)) answer(response);
      stub.closeAllConnections();
      stub.close(() => resolve());
    });
  const index = `miroir-testkit-hold-${randomUUID()}`;
  const port = (stub.address() as AddressInfo).port;
  try {
    const enqueued = await call(options, "PATCH", `/indexes/${index}/settings`, {
      embedders: {
        hold: {
          source: "rest",
          url: `http://127.0.0.1:${port}/embed`,
          request: { input: "{{text}}" },
          response: { embedding: "{{embedding}}" },
        },
      },
    });
    const taskUid = enqueued.body?.taskUid;
    if (enqueued.status !== 202 || taskUid === undefined) {
      throw new Error(`holdQueue: the node refused the blocking task: ${JSON.stringify(enqueued)}`);
    }
    await until("the node did not reach the blocking task", timeoutMs, async () => {
      if (asked > 0) return true;
      const task = await call(options, "GET", `/tasks/${taskUid}`);
      if (task.body?.status === "failed") {
        throw new Error(
          `holdQueue: the blocking task failed (does the node allow loopback calls?): ${task.body.error?.message}`,
        );
      }
      return undefined;
    });
    return {
      release: async () => {
        if (released) return;
        released = true;
        for (const response of held.splice(0)) answer(response);
        await until("the blocking task did not finish", timeoutMs, async () => {
          const task = await call(options, "GET", `/tasks/${taskUid}`);
          return ["succeeded", "failed", "canceled"].includes(task.body?.status ?? "")
            ? true
            : undefined;
        });
        await closeStub();
        await call(options, "DELETE", `/indexes/${index}`);
      },
    };
  } catch (error) {
    released = true;
    await closeStub();
    throw error;
  }
}
