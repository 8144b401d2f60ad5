import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { type AccessEnv, authorize, invalidApiKey } from "../../auth/access.js";
import { checkIndexUid, indexView, touch } from "../../index-registry.js";
import type { NodeState } from "../../node-state.js";
import { checkKnownParams, integerParam, page } from "../../query-params.js";
import {
  checkKnownFields,
  expectObject,
  invalidType,
  missingField,
  readJson,
} from "../../request-body.js";
import { indexStats } from "./index-stats.js";

function readPrimaryKey(body: Record<string, unknown>): string | null {
  const value = body.primaryKey ?? null;
  if (value !== null && typeof value !== "string") {
    throw invalidType("invalid_index_primary_key", ".primaryKey", "a string", value);
  }
  return value;
}

/** `/indexes` and `/indexes/{uid}`: list, create, get, update, delete, stats. */
export function indexRoutes(state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const { indexes, tasks, keys } = state;

  app.get("/indexes", authorize(keys, "indexes.get"), (c) => {
    checkKnownParams(c, ["offset", "limit"]);
    const offset = integerParam(c, "offset", "invalid_index_offset", 0);
    const limit = integerParam(c, "limit", "invalid_index_limit", 20);
    const visible = indexes.list().filter((index) => c.var.access.allows(index.uid));
    return c.json(page(visible.map(indexView), offset, limit));
  });

  app.post("/indexes", authorize(keys, "indexes.create"), async (c) => {
    const body = expectObject(await readJson(c, state.payloadLimit));
    checkKnownFields(body, ["uid", "primaryKey"]);
    if (body.uid === undefined) throw missingField("missing_index_uid", "uid");
    const uid = checkIndexUid(body.uid, "Invalid value at `.uid`: ");
    if (!c.var.access.allows(uid)) throw invalidApiKey();
    const primaryKey = readPrimaryKey(body);
    const summary = tasks.enqueue("indexCreation", uid, { primaryKey }, () => {
      indexes.create(uid, primaryKey);
      return undefined;
    });
    return c.json(summary, 202);
  });

  app.get("/indexes/:uid", authorize(keys, "indexes.get"), (c) => {
    return c.json(indexView(indexes.get(checkIndexUid(c.req.param("uid")))));
  });

  app.patch("/indexes/:uid", authorize(keys, "indexes.update"), async (c) => {
    const uid = checkIndexUid(c.req.param("uid"));
    const body = expectObject(await readJson(c, state.payloadLimit));
    checkKnownFields(body, ["primaryKey", "uid"]);
    const primaryKey = readPrimaryKey(body);
    // a new `uid` renames the index (Meilisearch 1.50)
    const newUid =
      body.uid === undefined || body.uid === null ? undefined : checkIndexUid(body.uid);
    const details =
      newUid === undefined ? { primaryKey } : { primaryKey, oldIndexUid: uid, newIndexUid: newUid };
    const summary = tasks.enqueue("indexUpdate", uid, details, (self) => {
      const index = indexes.get(uid);
      if (primaryKey !== null && index.primaryKey !== primaryKey) {
        if (index.documents.size > 0) {
          throw meiliError(
            "index_primary_key_already_exists",
            `Index \`${uid}\`: Index already has a primary key: \`${index.primaryKey}\`.`,
          );
        }
        index.primaryKey = primaryKey;
      }
      if (newUid !== undefined && newUid !== uid) {
        indexes.rename(uid, newUid);
        tasks.renameIndexUid(uid, newUid, self.uid);
      }
      touch(indexes.get(newUid ?? uid));
      return undefined;
    });
    return c.json(summary, 202);
  });

  app.delete("/indexes/:uid", authorize(keys, "indexes.delete"), (c) => {
    const uid = checkIndexUid(c.req.param("uid"));
    const summary = tasks.enqueue("indexDeletion", uid, { deletedDocuments: null }, () => ({
      deletedDocuments: indexes.delete(uid).documents.size,
    }));
    return c.json(summary, 202);
  });

  app.get("/indexes/:uid/stats", authorize(keys, "stats.get"), (c) => {
    const index = indexes.get(checkIndexUid(c.req.param("uid")));
    return c.json(indexStats(index, tasks.isIndexing(index.uid)));
  });

  return app;
}
