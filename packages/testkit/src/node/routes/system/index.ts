import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { type AccessEnv, authorize, invalidApiKey } from "../../auth/access.js";
import { checkIndexUid } from "../../index-registry.js";
import type { NodeState } from "../../node-state.js";
import { expectObject, invalidType, missingField, readJson } from "../../request-body.js";
import { indexStats } from "../indexes/index-stats.js";

/** The Meilisearch version the node answers like. */
export const EMULATED_VERSION = "1.50.0";

interface Swap {
  indexes: [string, string];
  rename: boolean;
}

function readSwaps(raw: unknown): Swap[] {
  if (!Array.isArray(raw)) throw invalidType("bad_request", ".", "an array", raw);
  const seen = new Set<string>();
  return raw.map((item, i) => {
    const body = expectObject(item);
    if (body.indexes === undefined) throw missingField("missing_swap_indexes", "indexes");
    if (!Array.isArray(body.indexes)) {
      throw invalidType("invalid_swap_indexes", `[${i}].indexes`, "an array", body.indexes);
    }
    if (body.indexes.length !== 2) {
      throw meiliError(
        "invalid_swap_indexes",
        `Two indexes must be given for each swap. The list \`[${body.indexes.map((uid) => `"${String(uid)}"`).join(", ")}]\` contains ${body.indexes.length} indexes.`,
      );
    }
    const pair = body.indexes.map((uid, j) => {
      try {
        return checkIndexUid(uid, `Invalid value at \`[${i}].indexes[${j}]\`: `);
      } catch (error) {
        throw meiliError("invalid_swap_indexes", (error as Error).message);
      }
    }) as [string, string];
    for (const uid of pair) {
      if (seen.has(uid)) {
        throw meiliError(
          "invalid_swap_duplicate_index_found",
          `Indexes must be declared only once during a swap. \`${uid}\` was specified several times.`,
        );
      }
      seen.add(uid);
    }
    const rename = body.rename ?? false;
    if (typeof rename !== "boolean") {
      throw invalidType("invalid_swap_rename", `[${i}].rename`, "a boolean", rename);
    }
    return { indexes: pair, rename };
  });
}

/** Health, version, global stats and index swaps. */
export function systemRoutes(state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const { indexes, tasks, keys } = state;

  app.get("/", (c) => c.json({ status: "Meilisearch is running" }));
  app.get("/health", (c) => c.json({ status: "available" }));

  app.get("/version", authorize(keys, "version"), (c) =>
    c.json({
      commitSha: "0000000000000000000000000000000000000000",
      commitDate: "2026-07-01T00:00:00Z",
      pkgVersion: EMULATED_VERSION,
    }),
  );

  app.get("/stats", authorize(keys, "stats.get"), (c) => {
    const visible = indexes.list().filter((index) => c.var.access.allows(index.uid));
    const stats = Object.fromEntries(
      visible.map((index) => [index.uid, indexStats(index, tasks.isIndexing(index.uid))]),
    );
    const size = Object.values(stats).reduce((sum, s) => sum + s.rawDocumentDbSize, 0);
    const lastUpdate =
      visible
        .map((index) => index.updatedAt)
        .sort()
        .at(-1) ?? null;
    return c.json({ databaseSize: size, usedDatabaseSize: size, lastUpdate, indexes: stats });
  });

  app.post("/swap-indexes", authorize(keys, "indexes.swap"), async (c) => {
    const swaps = readSwaps(await readJson(c, state.payloadLimit));
    for (const { indexes: pair } of swaps) {
      if (!pair.every((uid) => c.var.access.allows(uid))) throw invalidApiKey();
    }
    const summary = tasks.enqueue("indexSwap", null, { swaps }, () => {
      const missing = swaps
        .flatMap((swap) => (swap.rename ? [swap.indexes[0]] : swap.indexes))
        .filter((uid) => !indexes.has(uid));
      if (missing.length > 0) {
        throw meiliError(
          "index_not_found",
          `Indexes ${missing.map((uid) => `\`${uid}\``).join(", ")} not found.`,
        );
      }
      for (const {
        indexes: [a, b],
        rename,
      } of swaps) {
        if (rename) indexes.rename(a, b);
        else indexes.swap(a, b);
        tasks.swapIndexUids(a, b);
      }
      return undefined;
    });
    return c.json(summary, 202);
  });

  return app;
}
