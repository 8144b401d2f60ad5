import { createClient } from "redis";
import { reportingFailuresAs } from "../row-store-failures.js";
import { assembleTaskStore, type TaskStore } from "../task-store.js";
import type { RedisTaskStoreConfig } from "../task-store-config.js";
import { describe, TaskStoreError } from "../task-store-error.js";
import { RedisKeys } from "./redis-keys.js";
import { migrateLayout1To2, migrateLayout2To3, migrateLayout3To4 } from "./redis-migrations.js";
import { type RedisConnection, RedisRowStore } from "./redis-row-store.js";

/**
 * Version of the Redis key layout; bumped when it changes, with a forward-only migration
 * from the one before (`redis-migrations.ts`).
 */
export const REDIS_SCHEMA_VERSION = 4;

const DEFAULT_KEY_PREFIX = "miroir:";

/** Connects to Redis and checks (or records) the key layout version under the prefix. */
export async function openRedisTaskStore(config: RedisTaskStoreConfig): Promise<TaskStore> {
  const keys = new RedisKeys(config.keyPrefix ?? DEFAULT_KEY_PREFIX);
  const client = await connect(config);
  const now = config.clock ?? Date.now;
  const store = new RedisRowStore(client, keys, now);
  try {
    const version = await checkSchemaVersion(client, keys, config.url);
    if (version === 1) await migrateLayout1To2(client, keys, store);
    if (version <= 2) await migrateLayout2To3(client, keys);
    if (version <= 3) await migrateLayout3To4(client, keys);
  } catch (error) {
    client.destroy();
    if (error instanceof TaskStoreError) throw error;
    throw new TaskStoreError(
      "store_unreachable",
      `The Redis task store at ${redactedUrl(config.url)} refused Miroir's first command (${describe(error)}); check the credentials and database in task_store.url.`,
      { cause: error },
    );
  }
  const rows = reportingFailuresAs(
    store,
    (cause) =>
      new TaskStoreError(
        "store_unreachable",
        `The Redis task store at ${redactedUrl(config.url)} did not answer (${describe(cause)}); the operation may not have been applied. Retry once Redis is reachable again.`,
        { cause },
      ),
  );
  return assembleTaskStore("redis", rows, now);
}

async function connect(config: RedisTaskStoreConfig): Promise<RedisConnection> {
  let connected = false;
  const client = createClient({
    url: config.url,
    // Fail commands at once while disconnected instead of queueing them: a caller
    // answering an HTTP request must not hang until Redis comes back.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: config.connectTimeoutMs ?? 5000,
      // Give up at once when the first connection fails; once connected, ride out restarts.
      reconnectStrategy: (retries, cause) =>
        connected ? Math.min(50 * 2 ** retries, 2000) : cause,
    },
  });
  // Without a listener, node-redis would crash the process on a dropped connection;
  // failed commands still reject, which is where callers learn about it.
  client.on("error", () => {});
  try {
    await client.connect();
    connected = true;
    return client;
  } catch (cause) {
    if (client.isOpen) client.destroy();
    throw new TaskStoreError(
      "store_unreachable",
      `Cannot reach the Redis task store at ${redactedUrl(config.url)} (${describe(cause)}); check task_store.url and that Redis is running.`,
      { cause },
    );
  }
}

/** The layout version under the prefix (recording the current one on an empty prefix). */
async function checkSchemaVersion(
  client: RedisConnection,
  keys: RedisKeys,
  url: string,
): Promise<number> {
  const key = keys.schemaVersion();
  await client.set(key, String(REDIS_SCHEMA_VERSION), { condition: "NX" });
  const stored = await client.get(key).catch(() => null);
  const version = Number(stored);
  if (stored === null || !Number.isSafeInteger(version) || version < 1) {
    throw new TaskStoreError(
      "store_foreign",
      `The key ${key} on ${redactedUrl(url)} does not hold a Miroir schema version; another application uses this key prefix. Choose another task_store key prefix. Nothing was overwritten.`,
    );
  }
  if (version > REDIS_SCHEMA_VERSION) {
    throw new TaskStoreError(
      "schema_too_new",
      `The Redis task store at ${redactedUrl(url)} has schema version ${version}, newer than this Miroir understands (${REDIS_SCHEMA_VERSION}); upgrade Miroir to at least the version that wrote it. Nothing was overwritten.`,
    );
  }
  return version;
}

/** The URL without its password, fit for an error message or a log line. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparsable URL)";
  }
}
