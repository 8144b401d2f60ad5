import { meiliError } from "@miroir/errors";
import { type Context, Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import { SETTING_ROUTES } from "../../broadcast/setting-routes.js";
import {
  changeSetting,
  patchSettings,
  resetSetting,
  resetSettings,
} from "../../broadcast/settings-update.js";
import type { ProxyContext } from "../../context.js";
import { readSettings } from "../../reads/settings.js";
import { accepted } from "../answers.js";

/**
 * Every settings route. Writes are broadcast all-or-nothing (see `broadcast/
 * settings-update.ts`); reads come from one node (settings are identical everywhere) with
 * `_miroir_shard` hidden.
 */
export function settingsRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;
  const base = "/indexes/:indexUid/settings";

  routes.get(base, async (c) => c.json((await readSettings(ctx, indexUidOf(c))) as object));

  routes.patch(base, async (c) => {
    const body = await readJsonBody(c, limit);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw meiliError("bad_request", "Invalid value type: expected an object.");
    }
    return accepted(await patchSettings(ctx, indexUidOf(c), body as Record<string, unknown>));
  });

  routes.delete(base, async (c) => accepted(await resetSettings(ctx, indexUidOf(c))));

  for (const setting of SETTING_ROUTES) {
    const path = `${base}/${setting.route}`;
    routes.get(path, async (c) =>
      c.json((await readSettings(ctx, indexUidOf(c), setting)) as object),
    );
    routes.on(setting.method, path, async (c) => {
      const value = await readJsonBody(c, limit);
      return accepted(await changeSetting(ctx, indexUidOf(c), setting, value));
    });
    routes.delete(path, async (c) => accepted(await resetSetting(ctx, indexUidOf(c), setting)));
  }
  return routes;
}

/** Sub-setting paths are built at run time, so Hono cannot type their parameter. */
function indexUidOf(c: Context): string {
  return c.req.param("indexUid") ?? "";
}
