import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  openTaskStore,
  TASK_STATUSES,
  type TaskListQuery,
  type TaskStore,
} from "@miroir/taskstore";
import Database from "better-sqlite3";
import { createClient } from "redis";
import { summarise } from "../load/latency-summary.js";
import type { TaskListingBackend, TaskListingQueryFigure } from "./task-listing-suite.js";

/**
 * Child entry of the task listing suite: fills one backend with `--tasks` tasks, then
 * times `GET /tasks`-shaped listings through the store's own API. The tasks are written
 * straight into the backend's layout (one SQL transaction, or Lua batches on Redis): going
 * through `tasks.create` one by one would take minutes per million.
 */
const { values } = parseArgs({
  options: {
    backend: { type: "string" },
    tasks: { type: "string" },
    iterations: { type: "string" },
    "redis-url": { type: "string" },
  },
});
const backend = values.backend as "sqlite" | "redis";
const taskCount = Number(values.tasks);
const iterations = Number(values.iterations);

/** Mostly finished tasks, as a long-running fleet has: 1 in 50 failed, the last 10 unfinished. */
function statusOf(uid: number): string {
  if (uid >= taskCount - 5) return "enqueued";
  if (uid >= taskCount - 10) return "processing";
  return uid % 50 === 7 ? "failed" : "succeeded";
}

const ENQUEUED_AT = Date.UTC(2026, 0, 1);

async function fillSqlite(path: string): Promise<void> {
  await (await openTaskStore({ backend: "sqlite", path })).close();
  const database = new Database(path);
  const insert = database.prepare(
    `INSERT INTO tasks (uid, index_uid, type, status, node_tasks, node_statuses, error, details,
       canceled_by, custom_metadata, enqueued_at, started_at, finished_at)
     VALUES (?, 'movies', 'documentAdditionOrUpdate', ?, ?, '{}', NULL, '{"receivedDocuments":1000}',
       NULL, NULL, ?, ?, ?)`,
  );
  database.transaction(() => {
    for (let uid = 0; uid < taskCount; uid++) {
      const at = ENQUEUED_AT + uid * 10;
      insert.run(uid, statusOf(uid), `{"meili-0":${uid},"meili-1":${uid}}`, at, at + 1, at + 5);
    }
  })();
  database
    .prepare("INSERT INTO sequences (name, next_value) VALUES ('task_uid', ?)")
    .run(taskCount);
  database.close();
}

/**
 * Writes rows `ARGV[1]`…`ARGV[2]` exactly as the store's write script lays them out, the
 * set members of the batch added by one variadic command per set.
 */
const FILL_SCRIPT = `
local prefix = ARGV[3]
local members, scored, by_status = {}, {}, {}
for uid = tonumber(ARGV[1]), tonumber(ARGV[2]) do
  local status = 'succeeded'
  if uid >= tonumber(ARGV[4]) - 5 then status = 'enqueued'
  elseif uid >= tonumber(ARGV[4]) - 10 then status = 'processing'
  elseif uid % 50 == 7 then status = 'failed' end
  local at = tonumber(ARGV[5]) + uid * 10
  local member = tostring(uid)
  redis.call('HSET', prefix .. 'tasks:' .. member, '_rev', 1, 'uid', member, 'index_uid', 'movies',
    'type', 'documentAdditionOrUpdate', 'status', status,
    'node_tasks', '{"meili-0":' .. member .. ',"meili-1":' .. member .. '}', 'node_statuses', '{}',
    'details', '{"receivedDocuments":1000}', 'enqueued_at', at, 'started_at', at + 1,
    'finished_at', at + 5)
  members[#members + 1] = member
  scored[#scored + 1] = uid
  scored[#scored + 1] = member
  by_status[status] = by_status[status] or {}
  table.insert(by_status[status], member)
end
redis.call('SADD', prefix .. 'tasks#index', unpack(members))
redis.call('ZADD', prefix .. 'tasks#order', unpack(scored))
for status, list in pairs(by_status) do
  redis.call('SADD', prefix .. 'tasks#by:status:' .. status, unpack(list))
  local pairs_of = {}
  for _, member in ipairs(list) do
    pairs_of[#pairs_of + 1] = tonumber(member)
    pairs_of[#pairs_of + 1] = member
  end
  redis.call('ZADD', prefix .. 'tasks#order-by:status:' .. status, unpack(pairs_of))
end
return 1
`;

async function fillRedis(url: string, keyPrefix: string): Promise<void> {
  await (await openTaskStore({ backend: "redis", url, keyPrefix })).close();
  const client = createClient({ url });
  await client.connect();
  try {
    const batch = 2_000;
    for (let start = 0; start < taskCount; start += batch) {
      await client.eval(FILL_SCRIPT, {
        keys: [],
        arguments: [
          String(start),
          String(Math.min(taskCount, start + batch) - 1),
          keyPrefix,
          String(taskCount),
          String(ENQUEUED_AT),
        ],
      });
    }
    await client.set(`${keyPrefix}seq:task_uid`, String(taskCount));
  } finally {
    await client.close();
  }
}

const QUERIES: readonly { readonly name: string; readonly query: TaskListQuery }[] = [
  { name: "newest 20", query: { limit: 20 } },
  { name: "20 from the middle", query: { limit: 20, from: Math.floor(taskCount / 2) } },
  { name: "newest 20 failed", query: { statuses: ["failed"], limit: 20 } },
  { name: "oldest 20 (reverse)", query: { limit: 20, reverse: true } },
];

async function timeQueries(store: TaskStore): Promise<TaskListingQueryFigure[]> {
  const figures: TaskListingQueryFigure[] = [];
  for (const { name, query } of QUERIES) {
    for (let i = 0; i < 20; i++) await store.tasks.list(query);
    const latencies: number[] = [];
    const started = performance.now();
    let total = 0;
    for (let i = 0; i < iterations; i++) {
      const before = performance.now();
      const page = await store.tasks.list(query);
      latencies.push(performance.now() - before);
      total = page.total;
      if (page.results.length !== 20) throw new Error(`${name} listed ${page.results.length}`);
    }
    const summary = summarise(latencies, 0, (performance.now() - started) / 1000);
    figures.push({
      name,
      total,
      p50Ms: summary.p50Ms,
      p99Ms: summary.p99Ms,
      meanMs: summary.meanMs,
    });
  }
  return figures;
}

const directory = await mkdtemp(join(tmpdir(), "miroir-task-listing-"));
const keyPrefix = `miroir-bench:${process.pid}:`;
try {
  const fillStarted = performance.now();
  let store: TaskStore;
  if (backend === "sqlite") {
    const path = join(directory, "tasks.db");
    await fillSqlite(path);
    store = await openTaskStore({ backend: "sqlite", path });
  } else {
    const url = values["redis-url"] ?? "";
    await fillRedis(url, keyPrefix);
    store = await openTaskStore({ backend: "redis", url, keyPrefix });
  }
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  try {
    const counts = await Promise.all(
      TASK_STATUSES.map(
        async (status) => (await store.tasks.list({ statuses: [status], limit: 0 })).total,
      ),
    );
    if (counts.reduce((sum, count) => sum + count, 0) !== taskCount) {
      throw new Error(`the store holds ${counts} tasks per status, not ${taskCount} in all`);
    }
    const result: TaskListingBackend = {
      backend,
      tasks: taskCount,
      fillSeconds,
      iterations,
      queries: await timeQueries(store),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await store.close();
  }
} finally {
  await rm(directory, { recursive: true, force: true });
}
