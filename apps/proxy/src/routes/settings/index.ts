import { meiliError } from "@miroir/errors";
import { type Context, Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import { SETTING_ROUTES, type SettingRoute } from "../../broadcast/setting-routes.js";
import { type SettingsChange, updateSettings } from "../../broadcast/settings-update.js";
import {
  visibleSettings,
  withoutShardFilterable,
  withShardFilterable,
} from "../../broadcast/shard-filterable.js";
import type { ProxyContext } from "../../context.js";
import { expectSuccess, indexPath, type NodeResponse } from "../../node-client/index.js";
import { SHARD_FIELD } from "../../write/reserved-field.js";
import { accepted } from "../answers.js";

/**
 * Every settings route. Writes are broadcast all-or-nothing (see `updateSettings`);
 * reads come from one node (settings are identical everywhere) with `_miroir_shard`
 * hidden.
 */
export function settingsRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;
  const base = "/indexes/:indexUid/settings";
  const settingsPath = (indexUid: string) => `${indexPath(indexUid)}/settings`;

  routes.get(base, async (c) => {
    const settings = await readFromOneNode(ctx, settingsPath(c.req.param("indexUid")));
    return c.json(visibleSettings(settings) as object);
  });

  routes.patch(base, async (c) => {
    const indexUid = c.req.param("indexUid");
    const body = await readJsonBody(c, limit);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw meiliError("bad_request", "Invalid value type: expected an object.");
    }
    const settings = { ...(body as Record<string, unknown>) };
    if ("filterableAttributes" in settings) {
      settings.filterableAttributes = withShardFilterable(settings.filterableAttributes);
    }
    const change: SettingsChange = {
      steps: [{ method: "PATCH", path: settingsPath(indexUid), json: settings }],
      details: body as Record<string, unknown>,
    };
    return accepted(await updateSettings(ctx, indexUid, change));
  });

  routes.delete(base, async (c) => {
    const indexUid = c.req.param("indexUid");
    const change: SettingsChange = {
      steps: [
        { method: "DELETE", path: settingsPath(indexUid) },
        keepShardFilterable(settingsPath(indexUid)),
      ],
      details: {},
    };
    return accepted(await updateSettings(ctx, indexUid, change));
  });

  for (const setting of SETTING_ROUTES) {
    const path = `${base}/${setting.route}`;
    routes.get(path, async (c) => {
      const value = await readFromOneNode(ctx, `${settingsPath(indexUidOf(c))}/${setting.route}`);
      return c.json(
        (setting.name === "filterableAttributes" ? withoutShardFilterable(value) : value) as object,
      );
    });
    routes.on(setting.method, path, async (c) => {
      const indexUid = indexUidOf(c);
      const value = await readJsonBody(c, limit);
      return accepted(await updateSettings(ctx, indexUid, settingChange(indexUid, setting, value)));
    });
    routes.delete(path, async (c) => {
      const indexUid = indexUidOf(c);
      const change: SettingsChange =
        setting.name === "filterableAttributes"
          ? {
              steps: [keepShardFilterable(settingsPath(indexUid))],
              details: { [setting.name]: [] },
            }
          : {
              steps: [{ method: "DELETE", path: `${settingsPath(indexUid)}/${setting.route}` }],
              details: { [setting.name]: null },
            };
      return accepted(await updateSettings(ctx, indexUid, change));
    });
  }
  return routes;

  function settingChange(indexUid: string, setting: SettingRoute, value: unknown): SettingsChange {
    const sent = setting.name === "filterableAttributes" ? withShardFilterable(value) : value;
    return {
      steps: [
        { method: setting.method, path: `${settingsPath(indexUid)}/${setting.route}`, json: sent },
      ],
      details: { [setting.name]: value },
    };
  }
}

function keepShardFilterable(settingsPath: string) {
  return {
    method: "PUT" as const,
    path: `${settingsPath}/filterable-attributes`,
    json: [SHARD_FIELD],
  };
}

/** Settings are identical on every node: the first node that answers speaks for all. */
async function readFromOneNode(ctx: ProxyContext, path: string): Promise<unknown> {
  const ids = ctx.nodes.nodeIds;
  const start = ctx.seq.next() % ids.length;
  let lastError: unknown;
  for (let i = 0; i < ids.length; i++) {
    const nodeId = ids[(start + i) % ids.length] as string;
    let answer: NodeResponse;
    try {
      answer = await ctx.nodes.call(nodeId, { method: "GET", path });
    } catch (error) {
      lastError = error;
      continue;
    }
    return expectSuccess(answer);
  }
  throw lastError;
}

/** Sub-setting paths are built at run time, so Hono cannot type their parameter. */
function indexUidOf(c: Context): string {
  return c.req.param("indexUid") ?? "";
}
