import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";

/** A Meilisearch route with no sound meaning over sharded nodes, and why. */
export interface RefusedRoute {
  /** Hono path; `*` covers every sub-path. */
  readonly path: string;
  readonly reason: string;
}

/**
 * Routes Miroir answers with Meilisearch's `feature_not_enabled` instead of sending them to
 * one node, which would act on a fraction of the documents as if it were the whole.
 */
export const REFUSED_ROUTES: readonly RefusedRoute[] = [
  {
    path: "/network",
    reason:
      "Miroir shards and replicates the documents itself; the nodes' own network must stay off.",
  },
  {
    path: "/export",
    reason:
      "each node holds only its shards, several times over; migrate by reading documents through Miroir.",
  },
  {
    path: "/logs/*",
    reason: "each node streams only its own logs; read Miroir's JSON logs and each node's logs.",
  },
  {
    path: "/metrics",
    reason: "Miroir's metrics are at `/_miroir/metrics` and on its metrics port.",
  },
  {
    path: "/chats",
    reason: "a chat searches the index on one node, which holds only some of its shards.",
  },
  {
    path: "/chats/*",
    reason: "a chat searches the index on one node, which holds only some of its shards.",
  },
  {
    path: "/dynamic-search-rules",
    reason: "the rules would pin documents that live on one shard only.",
  },
  {
    path: "/dynamic-search-rules/*",
    reason: "the rules would pin documents that live on one shard only.",
  },
];

/** Every refused route, on every method, answers `400 feature_not_enabled`. */
export function refusedRoutes(_ctx: ProxyContext): Hono {
  const routes = new Hono();
  for (const route of REFUSED_ROUTES) {
    routes.all(route.path, (c) => {
      throw meiliError(
        "feature_not_enabled",
        `\`${new URL(c.req.url).pathname}\` is not available through Miroir: ${route.reason} See Miroir's docs/compatibility.md.`,
      );
    });
  }
  return routes;
}
