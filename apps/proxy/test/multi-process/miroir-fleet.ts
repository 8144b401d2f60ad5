import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig, stringifyConfig } from "@miroir/config";
import type { Cluster } from "@miroir/testkit";
import { freePort, launchMiroir } from "../launched-process.js";
import { guardedAdmin, withTestAdminKey } from "../test-config.js";

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
  const launched = await launchMiroir(configPath);
  const url = `http://127.0.0.1:${port}`;
  const call = (path: string, init?: RequestInit) =>
    fetch(`${url}${path}`, withTestAdminKey(path, init));
  try {
    const proxies = (await (await call("/_miroir/proxies")).json()) as ProxiesAnswer;
    return {
      index,
      url,
      id: proxies.self.id,
      output: launched.output,
      call,
      signal: (name) => launched.child.kill(name),
      stop: () => launched.stop(),
      exited: launched.exited,
    };
  } catch (error) {
    await launched.stop();
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
