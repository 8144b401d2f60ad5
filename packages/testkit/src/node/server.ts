import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { createNodeState, nodeApp } from "./app.js";
import { NodeFaults } from "./faults.js";
import type { Task } from "./task-queue.js";

/** Faults a test can put on an emulated node (no such thing exists on a real one). */
export interface NodeControl {
  /** Holds every answer until `resume()`; connections are still accepted. */
  pause(): void;
  resume(): void;
  /** Closes the port: clients get connection refused until `restart()`. */
  kill(): Promise<void>;
  /** Listens again on the same port, with indexes, documents, tasks and keys intact. */
  restart(): Promise<void>;
  /** Delays every answer by `ms` (0 to stop). */
  delay(ms: number): void;
  /** The next `count` requests matching `route` answer `status` with an `internal` error. */
  failNext(route: string | RegExp, status?: number, count?: number): void;
  /** Tasks matching `predicate` fail when they run; `undefined` stops failing them. */
  failTasks(predicate: ((task: Task) => boolean) | undefined): void;
  /**
   * Tasks matching `predicate` stay `enqueued` (and so does every task behind them, as on
   * a busy node) until `releaseTasks()`; cancelations still run and can cancel them.
   */
  holdTasks(predicate: (task: Task) => boolean): void;
  releaseTasks(): void;
}

export interface EmulatedNode {
  id: string;
  /** `http://127.0.0.1:PORT` */
  url: string;
  control: NodeControl;
  stop(): Promise<void>;
}

export interface StartNodeOptions {
  masterKey?: string | null;
  /** 0 (default) picks a free port. */
  port?: number;
  id?: string;
  payloadLimit?: number;
}

function listen(fetch: (request: Request) => Response | Promise<Response>, port: number) {
  return new Promise<{ server: ServerType; port: number }>((resolve, reject) => {
    const server = serve({ fetch, port, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({ server, port: info.port }),
    );
    server.once("error", reject);
  });
}

function close(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    if ("closeAllConnections" in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}

let started = 0;

/** Starts an emulated Meilisearch node on 127.0.0.1 (a free port unless one is given). */
export async function startNode(options: StartNodeOptions = {}): Promise<EmulatedNode> {
  const faults = new NodeFaults();
  const state = createNodeState({
    masterKey: options.masterKey ?? null,
    faults,
    ...(options.payloadLimit === undefined ? {} : { payloadLimit: options.payloadLimit }),
  });
  const app = nodeApp(state);
  let { server, port } = await listen(app.fetch, options.port ?? 0);
  let running = true;

  const kill = async () => {
    if (!running) return;
    running = false;
    faults.resume();
    await close(server);
  };
  const control: NodeControl = {
    pause: () => faults.pause(),
    resume: () => faults.resume(),
    kill,
    restart: async () => {
      if (running) return;
      ({ server } = await listen(app.fetch, port));
      running = true;
    },
    delay: (ms) => faults.delay(ms),
    failNext: (route, status, count) => faults.failNext(route, status, count),
    failTasks: (predicate) => faults.failTasks(predicate),
    holdTasks: (predicate) => faults.holdTasks(predicate),
    releaseTasks: () => faults.releaseTasks(),
  };
  return {
    id: options.id ?? `node-${started++}`,
    url: `http://127.0.0.1:${port}`,
    control,
    stop: async () => {
      faults.delay(0);
      faults.releaseTasks();
      await kill();
      await state.tasks.idle();
    },
  };
}
