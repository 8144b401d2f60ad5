import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";
import { type ConsoleAsset, type ConsoleAssets, loadConsoleAssets } from "./console-assets.js";
import { IMMUTABLE, REVALIDATE, SECURITY_HEADERS } from "./security-headers.js";

/** Where the console lives; every path under it that is not an asset is one of its pages. */
export const CONSOLE_PATH = "/_miroir/ui";

/**
 * The admin console and search preview (`@miroir/console`), served as static files at
 * `/_miroir/ui`. The files hold no data and need no key, since a browser cannot send
 * one when it opens a page: the page asks for the admin key and sends it, as
 * `X-Admin-Key`, to the admin API, which checks it. Mounted before the admin API so
 * that its key check does not apply to the files.
 */
export function uiRoutes(ctx: ProxyContext, assets = loadConsoleAssets()): Hono {
  const routes = new Hono();
  if (assets === null) {
    ctx.logger.warn("the admin console is not built: /_miroir/ui is not served");
    return routes;
  }

  routes.get(`${CONSOLE_PATH}/assets/*`, (c) => {
    if (!ctx.config.admin.enabled) return c.notFound();
    const name = c.req.path.slice(`${CONSOLE_PATH}/assets/`.length);
    const asset = assets.assets.get(name);
    return asset === undefined ? c.notFound() : answer(asset, IMMUTABLE);
  });
  routes.get(CONSOLE_PATH, (c) => (ctx.config.admin.enabled ? page(assets) : c.notFound()));
  routes.get(`${CONSOLE_PATH}/*`, (c) => (ctx.config.admin.enabled ? page(assets) : c.notFound()));
  return routes;
}

function page(assets: ConsoleAssets): Response {
  return answer(assets.page, REVALIDATE);
}

function answer(asset: ConsoleAsset, cacheControl: string): Response {
  return new Response(asset.body, {
    status: 200,
    headers: {
      ...SECURITY_HEADERS,
      "content-type": asset.contentType,
      "cache-control": cacheControl,
    },
  });
}
