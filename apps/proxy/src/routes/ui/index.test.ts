import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { ProxyContext } from "../../context.js";
import type { ConsoleAssets } from "./console-assets.js";
import { uiRoutes } from "./index.js";
import { CONTENT_SECURITY_POLICY } from "./security-headers.js";

const encode = (text: string) => new TextEncoder().encode(text);

const ASSETS: ConsoleAssets = {
  page: { body: encode("<!doctype html><title>console</title>"), contentType: "text/html" },
  assets: new Map([
    ["index-Ab12Cd.js", { body: encode("console.log(1)"), contentType: "text/javascript" }],
  ]),
};

function contextWith(enabled: boolean): ProxyContext {
  return {
    config: { admin: { enabled, api_key: "an-admin-key-0123456789" } },
    logger: pino({ level: "silent" }),
  } as unknown as ProxyContext;
}

describe("the console's static files", () => {
  const routes = uiRoutes(contextWith(true), ASSETS);

  it("serves the page at /_miroir/ui and under every page path, without a key, never cached stale", async () => {
    for (const path of ["/_miroir/ui", "/_miroir/ui/", "/_miroir/ui/search", "/_miroir/ui/tasks"]) {
      const answer = await routes.request(path);
      expect(answer.status, path).toBe(200);
      expect(await answer.text()).toContain("<title>console</title>");
      expect(answer.headers.get("cache-control")).toBe("no-cache");
      expect(answer.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
      expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("serves hashed assets for a year and answers 404 for a name it does not hold", async () => {
    const asset = await routes.request("/_miroir/ui/assets/index-Ab12Cd.js");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toBe("text/javascript");
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await routes.request("/_miroir/ui/assets/index-other.js")).status).toBe(404);
  });

  it("forbids inline script and style, other origins and framing", () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("style-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe");
  });

  it("answers 404 everywhere when the admin API is disabled", async () => {
    const disabled = uiRoutes(contextWith(false), ASSETS);
    for (const path of [
      "/_miroir/ui",
      "/_miroir/ui/search",
      "/_miroir/ui/assets/index-Ab12Cd.js",
    ]) {
      expect((await disabled.request(path)).status, path).toBe(404);
    }
  });

  it("serves nothing when the console was not built", async () => {
    const unbuilt = uiRoutes(contextWith(true), null);
    expect((await unbuilt.request("/_miroir/ui")).status).toBe(404);
  });
});
