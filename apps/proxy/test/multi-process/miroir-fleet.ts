import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseConfig, stringifyConfig } from "@miroir/config";
import type { Cluster } from "@miroir/testkit";
import { guardedAdmin, withTestAdminKey } from "../test-config.js";

const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));

/** One `miroir` process of a fleet sharing a Redis task store. */
export interface MiroirProcess {
  readonly index: number;
  readonly url: string;
  /** Its id among the processes (`GET /_miroir/proxies`), known once it listens. */
  id: string;
  /** Everything it logged so far. */
  output(): string;
  /** Calls it; `/_miroir/*` with the test admin key. */
  call(path: string, init?: RequestInit): Promise<Response>;
  signal(name: NodeJS.Signals): void;
  /** Kills it (SIGKILL) if still running and waits for the exit. */
  stop(): Promise<void>;
  readonly exited: Promise<unknown>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * Starts `count` Miroir processes (the built `miroir` bin) over the cluster, sharing the
 * Redis task store at `redisUrl`, with leader election on; resolves once each listens.
 */
export async function startFleet(
  cluster: Cluster,
  redisUrl: string,
  count: number,
  dir: string,
  overrides: Record<string, unknown> = {},
): Promise<MiroirProcess[]> {
  const fleet: MiroirProcess[] = [];
  try {
    for (let index = 0; index < count; index++) {
      fleet.push(await startMiroir(cluster, redisUrl, index, dir, overrides));
    }
  } catch (error) {
    await Promise.all(fleet.map((process) => process.stop()));
    throw error;
  }
  return fleet;
}

export async function startMiroir(
  cluster: Cluster,
  redisUrl: string,
  index: number,
  dir: string,
  overrides: Record<string, unknown> = {},
): Promise<MiroirProcess> {
  const port = await freePort();
  const configPath = join(dir, `miroir-${index}.yaml`);
  writeFileSync(
    configPath,
    stringifyConfig(
      parseConfig(
        guardedAdmin({
          ...cluster.config,
          server: { host: "127.0.0.1", port, metrics_port: await freePort(), log_level: "info" },
          task_store: { backend: "redis", url: redisUrl, key_prefix: "fleet:" },
          task_registry: { poll_interval_ms: 50 },
          health: { interval_ms: 300, timeout_ms: 250, unhealthy_threshold: 2 },
          leader_election: { enabled: true, lease_ttl_s: 3, renew_interval_s: 1 },
          ...overrides,
        }),
      ),
    ),
  );
  const child: ChildProcess = spawn(process.execPath, [mainScript, "--config", configPath], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = `http://127.0.0.1:${port}`;
  const call = (path: string, init?: RequestInit) =>
    fetch(`${url}${path}`, withTestAdminKey(path, init));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGCONT");
      child.kill("SIGKILL");
      await exited;
    }
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not listening in 20 s:\n${output}`)),
        20_000,
      );
      const check = () => {
        if (output.includes("miroir listening")) {
          clearTimeout(timer);
          child.stdout?.off("data", check);
          resolve();
        }
      };
      child.stdout?.on("data", check);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}:\n${output}`));
      });
    });
    const proxies = (await (await call("/_miroir/proxies")).json()) as ProxiesAnswer;
    return {
      index,
      url,
      id: proxies.self.id,
      output: () => output,
      call,
      signal: (name) => child.kill(name),
      stop,
      exited,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface ProxiesAnswer {
  leader: { id: string; token: number | null } | null;
  self: { id: string; partitions: number[] };
  proxies: {
    id: string;
    address: string;
    version: string;
    leader: boolean;
    duties: string[];
    lastSeen: string;
  }[];
}

export interface BackgroundPass {
  id: string;
  state: string;
  claimedBy: string | null;
  attempts: number;
  progress: { indexUid: string; shardsDone: number; shardsTotal: number } | null;
}

export interface RepairStatus {
  running: {
    progress: unknown;
    job?: {
      id: string;
      attempts: number;
      resumedFrom: { indexUid: string; shardsDone: number } | null;
    };
  } | null;
  background: BackgroundPass[];
}
