import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startCluster } from "@miroir/testkit";
import { benchDocuments } from "../data/bench-documents.js";
import { endProcess } from "../processes/child-service.js";
import { freePort } from "../processes/free-port.js";
import { spawnNode } from "../processes/node-child.js";
import { startRedisProcess } from "../processes/redis-process.js";

/** Throughput with `processes` Miroir processes sharing one Redis, over the same nodes. */
export interface FleetThroughput {
  readonly processes: number;
  /** Searches answered per second, 8 clients spread over the processes. */
  readonly searchesPerSecond: number;
  /** Documents acknowledged (202) per second, 4 clients writing batches of 100. */
  readonly documentsPerSecond: number;
}

export interface MultiProcessRun {
  readonly upstream: "emulated" | "real";
  readonly leaseTtlSeconds: number;
  readonly renewIntervalSeconds: number;
  readonly throughput: readonly FleetThroughput[];
  /** From SIGKILL of the leader until another process reports itself leader, per round. */
  readonly failoverMs: readonly number[];
  readonly durationSeconds: number;
}

const LEASE_TTL_S = 3;
const RENEW_INTERVAL_S = 1;
const ADMIN_KEY = randomBytes(24).toString("hex");

interface FleetProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Several Miroir processes on one Redis, in front of the same three nodes: search and
 * write throughput with 1, 2 and 3 processes taking the load (the same run, the same
 * nodes), and the failover time when the leader is SIGKILLed (until another process holds
 * the leader lease, at most the lease TTL plus one renewal).
 */
export async function runMultiProcessBench(options: {
  readonly quick: boolean;
  readonly real: boolean;
  readonly log: (line: string) => void;
}): Promise<MultiProcessRun> {
  const started = performance.now();
  const windowMs = options.quick ? 2_000 : 6_000;
  const cluster = await startCluster({ nodes: 3, rf: 1, shards: 16, real: options.real });
  const redis = await startRedisProcess();
  const dir = await mkdtemp(join(tmpdir(), "miroir-bench-fleet-"));
  const fleet: FleetProcess[] = [];
  try {
    const start = async (index: number) => {
      const port = await freePort();
      const configPath = join(dir, `miroir-${index}.json`);
      await writeFile(
        configPath,
        JSON.stringify({
          ...cluster.config,
          master_key: null,
          admin: { api_key: ADMIN_KEY },
          task_store: { backend: "redis", url: redis.url, key_prefix: "bench:" },
          leader_election: {
            enabled: true,
            lease_ttl_s: LEASE_TTL_S,
            renew_interval_s: RENEW_INTERVAL_S,
          },
          server: { host: "127.0.0.1", port, metrics_port: await freePort(), log_level: "warn" },
        }),
      );
      const { child } = spawnNode(proxyBin(), ["--config", configPath]);
      child.stdout?.resume();
      child.stderr?.resume();
      const url = `http://127.0.0.1:${port}`;
      const process: FleetProcess = { url, child, stop: () => endProcess(child) };
      fleet.push(process);
      await untilAvailable(url);
      return process;
    };
    for (let index = 0; index < 3; index++) await start(index);
    const first = fleet[0] as FleetProcess;
    await waitTask(
      first.url,
      await call(first.url, "POST", "/indexes", { uid: "bench", primaryKey: "id" }),
    );
    await waitTask(
      first.url,
      await call(first.url, "POST", "/indexes", { uid: "writes", primaryKey: "id" }),
    );
    await waitTask(
      first.url,
      await call(first.url, "POST", "/indexes/bench/documents", benchJson(5_000, 0)),
    );

    const throughput: FleetThroughput[] = [];
    let nextId = 0;
    for (const count of [1, 2, 3]) {
      const urls = fleet.slice(0, count).map((process) => process.url);
      const searches = await spread(urls, 8, windowMs, (url) =>
        call(url, "POST", "/indexes/bench/search", { q: "", limit: 10 }).then((r) => r.ok),
      );
      const batches = await spread(urls, 4, windowMs, async (url) => {
        const from = nextId;
        nextId += 100;
        const answer = await call(url, "POST", "/indexes/writes/documents", benchJson(100, from));
        return answer.status === 202;
      });
      const point = {
        processes: count,
        searchesPerSecond: searches / (windowMs / 1000),
        documentsPerSecond: (batches * 100) / (windowMs / 1000),
      };
      throughput.push(point);
      options.log(
        `${count} process(es): ${point.searchesPerSecond.toFixed(0)} searches/s, ${point.documentsPerSecond.toFixed(0)} documents/s`,
      );
    }

    const failoverMs: number[] = [];
    for (let round = 0; round < (options.quick ? 1 : 3); round++) {
      const survivors = () =>
        fleet.filter(
          (process) => process.child.exitCode === null && process.child.signalCode === null,
        );
      const leaderId = await eventuallyLeader(survivors()[0] as FleetProcess, null);
      const leader = await processWithId(survivors(), leaderId);
      const killedAt = performance.now();
      leader.child.kill("SIGKILL");
      await leader.stop();
      const witness = survivors()[0] as FleetProcess;
      await eventuallyLeader(witness, leaderId);
      failoverMs.push(performance.now() - killedAt);
      options.log(`failover ${round + 1}: ${(failoverMs.at(-1) as number).toFixed(0)} ms`);
      // Back to three processes for the next round.
      await start(fleet.length);
      await new Promise((resolve) => setTimeout(resolve, RENEW_INTERVAL_S * 2_000));
    }
    return {
      upstream: options.real ? "real" : "emulated",
      leaseTtlSeconds: LEASE_TTL_S,
      renewIntervalSeconds: RENEW_INTERVAL_S,
      throughput,
      failoverMs,
      durationSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await Promise.all(fleet.map((process) => process.stop()));
    await redis.stop();
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function proxyBin(): string {
  return fileURLToPath(new URL("./main.js", import.meta.resolve("@miroir/proxy")));
}

function benchJson(count: number, from: number): unknown[] {
  return benchDocuments(count, from);
}

function call(url: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(path.startsWith("/_miroir/") ? { authorization: `Bearer ${ADMIN_KEY}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** `clients` loops sending to the urls in turn for `windowMs`; how many succeeded. */
async function spread(
  urls: readonly string[],
  clients: number,
  windowMs: number,
  send: (url: string) => Promise<boolean>,
): Promise<number> {
  const end = performance.now() + windowMs;
  let done = 0;
  let turn = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < 1_000_000 && performance.now() < end; i++) {
        const ok = await send(urls[turn++ % urls.length] as string).catch(() => false);
        if (ok && performance.now() <= end) done++;
      }
    }),
  );
  return done;
}

async function untilAvailable(url: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not answer /health within 30 s`);
}

async function waitTask(url: string, answer: Response): Promise<void> {
  const { taskUid } = (await answer.json()) as { taskUid: number };
  for (let attempt = 0; attempt < 3_000; attempt++) {
    const task = (await (await call(url, "GET", `/tasks/${taskUid}`)).json()) as { status: string };
    if (task.status === "succeeded") return;
    if (task.status === "failed") throw new Error(`task ${taskUid} failed`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`task ${taskUid} did not finish`);
}

/** Polls `/_miroir/proxies` every 10 ms until a leader other than `not` is reported. */
async function eventuallyLeader(process: FleetProcess, not: string | null): Promise<string> {
  for (let attempt = 0; attempt < 3_000; attempt++) {
    const answer = (await (await call(process.url, "GET", "/_miroir/proxies")).json()) as {
      leader: { id: string } | null;
    };
    if (answer.leader !== null && answer.leader.id !== not) return answer.leader.id;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("no new leader within 30 s");
}

async function processWithId(fleet: readonly FleetProcess[], id: string): Promise<FleetProcess> {
  for (const process of fleet) {
    const answer = (await (await call(process.url, "GET", "/_miroir/proxies")).json()) as {
      self: { id: string };
    };
    if (answer.self.id === id) return process;
  }
  throw new Error(`no live process has id ${id}`);
}
