import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "redis";
import { openTaskStore, type TaskStore } from "../src/index.js";

/** A place where one task store lives; every `open` is a new connection to the same data. */
export interface StoreLocation {
  open(clock: () => number): Promise<TaskStore>;
  /** Removes everything the location holds. */
  dispose(): Promise<void>;
}

export type StoreLocationFactory = () => Promise<StoreLocation>;

export function sqliteLocations(): StoreLocationFactory {
  return async () => {
    const directory = mkdtempSync(join(tmpdir(), "miroir-taskstore-"));
    const path = join(directory, "tasks.db");
    return {
      open: (clock) => openTaskStore({ backend: "sqlite", path, clock }),
      dispose: async () => rmSync(directory, { recursive: true, force: true }),
    };
  };
}

/** Each location gets its own key prefix, so locations never see each other's keys. */
export function redisLocations(url: string): StoreLocationFactory {
  return async () => {
    const keyPrefix = `miroir-test:${randomUUID()}:`;
    return {
      open: (clock) => openTaskStore({ backend: "redis", url, keyPrefix, clock }),
      dispose: () => deleteKeysUnder(url, keyPrefix),
    };
  };
}

/** Test cleanup only: the store itself never scans. */
export async function deleteKeysUnder(url: string, keyPrefix: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    const keys = await keysUnder(client, keyPrefix);
    if (keys.length > 0) await client.del(keys);
  } finally {
    await client.close();
  }
}

export async function keysUnder(
  client: ReturnType<typeof createClient>,
  keyPrefix: string,
): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 500 })) {
    keys.push(...batch);
  }
  return keys;
}

/** A clock the test moves by hand. */
export class FakeClock {
  time = 1_800_000_000_000;
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}
