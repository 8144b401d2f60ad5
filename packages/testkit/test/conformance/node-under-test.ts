import { afterAll, beforeAll, expect } from "vitest";
import { type ClusterNode, startCluster } from "../../src/index.js";

/** A JSON answer, inspected field by field by the assertions. */
// biome-ignore lint/suspicious/noExplicitAny: answers are checked by assertions, not by types
export type Json = any;

/** One answer as the suite inspects it. */
export interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

export interface RequestOptions {
  key?: string | null;
  contentType?: string | null;
  /** a raw body sent as is (the default JSON-encodes `body`) */
  raw?: string;
}

/** A node started by the harness (emulated, or real with MEILI_BIN) and a client for it. */
export interface NodeUnderTest {
  node: ClusterNode;
  masterKey: string;
  mode: "emulated" | "real";
  request(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<Answer>;
  waitForTask(uid: number): Promise<Json>;
  /** enqueues a write, waits for its task and returns the finished task */
  settle(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<Json>;
}

export const MASTER_KEY = "conformance-suite-master-key";

/**
 * Starts one node for the calling test file and stops it after the file's tests; with
 * `relay`, behind a relay (the node's `relay`), which is how real nodes get `delay`.
 */
export function useNode(options: { relay?: boolean } = {}): () => NodeUnderTest {
  let subject: NodeUnderTest | undefined;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const cluster = await startCluster({
      nodes: 1,
      nodeMasterKey: MASTER_KEY,
      relay: options.relay ?? false,
    });
    stop = cluster.stop;
    const node = cluster.nodes[0] as ClusterNode;
    const request = async (
      method: string,
      path: string,
      body?: unknown,
      options: RequestOptions = {},
    ): Promise<Answer> => {
      const headers: Record<string, string> = {};
      const key = options.key === undefined ? MASTER_KEY : options.key;
      if (key !== null) headers.authorization = `Bearer ${key}`;
      const payload = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
      const contentType =
        options.contentType === undefined
          ? payload === undefined
            ? null
            : "application/json"
          : options.contentType;
      if (contentType !== null) headers["content-type"] = contentType;
      const response = await fetch(node.address + path, {
        method,
        headers,
        ...(payload === undefined ? {} : { body: new TextEncoder().encode(payload) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text === "" ? undefined : JSON.parse(text),
        headers: response.headers,
      };
    };
    const waitForTask = async (uid: number) => {
      for (let i = 0; i < 2000; i++) {
        const { body } = await request("GET", `/tasks/${uid}`);
        if (["succeeded", "failed", "canceled"].includes(body.status)) return body;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`task ${uid} did not finish`);
    };
    subject = {
      node,
      masterKey: MASTER_KEY,
      mode: cluster.mode,
      request,
      waitForTask,
      settle: async (method, path, body, options) => {
        const answer = await request(method, path, body, options);
        if (answer.status !== 202 && answer.status !== 200) {
          throw new Error(
            `${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`,
          );
        }
        return waitForTask(answer.body.taskUid);
      },
    };
  });
  afterAll(async () => {
    await stop?.();
  });
  return () => {
    if (subject === undefined) throw new Error("the node is not started yet");
    return subject;
  };
}

/** Asserts a Meilisearch error answer field by field, in Meilisearch's key order. */
export function expectError(
  answer: Answer,
  status: number,
  code: string,
  type = "invalid_request",
): void {
  expect({ status: answer.status, body: answer.body }).toEqual({
    status,
    body: {
      message: expect.stringMatching(/\S/),
      code,
      type,
      link: `https://docs.meilisearch.com/errors#${code}`,
    },
  });
  expect(Object.keys(answer.body)).toEqual(["message", "code", "type", "link"]);
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
