import { meiliError } from "@miroir/errors";
import { Hono, type MiddlewareHandler } from "hono";
import { type AccessEnv, authorize } from "../../auth/access.js";
import type { KeyStore } from "../../auth/key-store.js";
import type { NodeState } from "../../node-state.js";
import { checkKnownParams, integerParam, page } from "../../query-params.js";
import { readJson } from "../../request-body.js";

const noMasterKey: MiddlewareHandler = async () => {
  throw meiliError(
    "missing_master_key",
    "Meilisearch is running without a master key. To access this API endpoint, you must have set a master key at launch.",
  );
};

function keyRoutesOf(keys: KeyStore, state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  app.get("/keys", authorize(keys, "keys.get"), (c) => {
    checkKnownParams(c, ["offset", "limit"]);
    const offset = integerParam(c, "offset", "invalid_api_key_offset", 0);
    const limit = integerParam(c, "limit", "invalid_api_key_limit", 20);
    return c.json(page(keys.list(), offset, limit));
  });
  app.post("/keys", authorize(keys, "keys.create"), async (c) => {
    return c.json(keys.create(await readJson(c, state.payloadLimit)), 201);
  });
  app.get("/keys/:key", authorize(keys, "keys.get"), (c) => c.json(keys.get(c.req.param("key"))));
  app.patch("/keys/:key", authorize(keys, "keys.update"), async (c) => {
    return c.json(keys.update(c.req.param("key"), await readJson(c, state.payloadLimit)));
  });
  app.delete("/keys/:key", authorize(keys, "keys.delete"), (c) => {
    keys.delete(c.req.param("key"));
    return c.body(null, 204);
  });
  return app;
}

/** `/keys` CRUD; without a master key every route answers `missing_master_key`. */
export function keyRoutes(state: NodeState): Hono<AccessEnv> {
  if (state.keys !== null) return keyRoutesOf(state.keys, state);
  const app = new Hono<AccessEnv>();
  app.all("/keys", noMasterKey);
  app.all("/keys/:key", noMasterKey);
  return app;
}
