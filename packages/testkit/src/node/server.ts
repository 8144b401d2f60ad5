import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import type { NodeControl } from "../node-control.js";
import { createNodeState, nodeApp } from "./app.js";
import { NodeFaults } from "./faults.js";

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
    // Meilisearch's limits on a request's head: 5 s to send it (else 408), 128 KiB (else 431).
    const serverOptions = {
      headersTimeout: 5_000,
      requestTimeout: 0,
      maxHeaderSize: 131_072,
      connectionsCheckingInterval: 1_000,
    };
    const server = serve(
      { fetch, port, hostname: "127.0.0.1", serverOptions },
      (info: AddressInfo) => resolve({ server, port: info.port }),
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
    kind: "emulated",
    pause: () => faults.pause(),
    resume: () => faults.resume(),
    kill,
    restart: async () => {
      if (running) return;
      ({ server } = await listen(app.fetch, port));
      running = true;
    },
    delay: (ms) => faults.delay(ms),
    breakDumps: async () => {
      faults.dumpsBroken = true;
    },
    repairDumps: async () => {
      faults.dumpsBroken = false;
    },
    holdQueue: async () => {
      faults.holdTasks(() => true);
      return { release: async () => faults.releaseTasks() };
    },
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
