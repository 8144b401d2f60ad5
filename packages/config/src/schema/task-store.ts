import * as v from "valibot";
import { integer, oneOf, section, setting, text, urlWithScheme } from "./fields.js";

export const taskStoreSchema = section(
  "Durable state of Miroir: tasks, aliases, sessions, leases.",
  {
    backend: setting(
      oneOf(["sqlite", "redis"]),
      "sqlite",
      "Store backend; redis is required when several proxy processes share state.",
    ),
    path: setting(text(), "./miroir.db", 'SQLite file path (":memory:" for a throwaway store).'),
    url: setting(
      v.nullable(urlWithScheme(["redis", "rediss"])),
      null,
      "Redis URL (redis:// or rediss://); required when backend is redis.",
    ),
    key_prefix: setting(text(), "miroir:", "Prefix of every Redis key Miroir writes."),
  },
);

export const taskRegistrySchema = section(
  "How Miroir tracks the node tasks behind each Miroir task.",
  {
    poll_interval_ms: setting(
      integer(10),
      250,
      "Interval of background polling of unfinished node tasks.",
    ),
    ttl_seconds: setting(
      integer(60),
      604_800,
      "Finished Miroir tasks are pruned after this many seconds.",
    ),
    cache_size: setting(integer(1), 10_000, "Task entries kept in each process's memory cache."),
  },
);
