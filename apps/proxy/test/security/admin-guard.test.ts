import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { parseConfig } from "@miroir/config";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createProxy, type RunningProxy, UnsafeConfigError } from "../../src/index.js";
import { sample } from "../observability/metric-samples.js";
import { testConfig } from "../test-config.js";

const ADMIN = "admin-guard-admin-key-0123456789";
const MASTER = "admin-guard-master-key-0123456789";
const mainScript = fileURLToPath(new URL("../../dist/main.js", import.meta.url));

const UNGUARDED = {
  shards: 4,
  nodes: [{ id: "node-0", address: "http://127.0.0.1:9", replica_group: 0 }],
  task_store: { backend: "sqlite", path: ":memory:" },
  server: { host: "127.0.0.1", log_level: "silent" },
} as const;

/** Runs the `miroir` binary with only the environment given; its exit code and stderr. */
function runMiroir(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mainScript], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`miroir did not exit within 15 s: ${stderr}`));
    }, 15_000);
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe("starting with the admin API unguarded", () => {
  it("is refused by createProxy, naming the keys to set", async () => {
    const refused = createProxy(parseConfig(UNGUARDED));
    await expect(refused).rejects.toBeInstanceOf(UnsafeConfigError);
    await expect(refused).rejects.toThrow(/MIROIR_ADMIN_API_KEY.*MIROIR_MASTER_KEY/);
  });

  it("makes the binary exit with code 2 and one line saying what to set", async () => {
    expect(existsSync(mainScript), "build the proxy first: pnpm --filter @miroir/proxy build").toBe(
      true,
    );
    const dir = mkdtempSync(join(tmpdir(), "miroir-admin-guard-"));
    try {
      const path = join(dir, "miroir.json");
      writeFileSync(path, JSON.stringify(UNGUARDED));
      const { code, stderr } = await runMiroir({ MIROIR_CONFIG: path });
      expect(code).toBe(2);
      const lines = stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/admin API .*MIROIR_ADMIN_API_KEY.*MIROIR_MASTER_KEY/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);

  it("starts once a key is set, or the admin API is off", async () => {
    for (const input of [
      { ...UNGUARDED, admin: { api_key: ADMIN } },
      { ...UNGUARDED, master_key: MASTER },
      { ...UNGUARDED, admin: { enabled: false }, admin_ui: { enabled: false } },
    ]) {
      const proxy = await createProxy(parseConfig(input));
      await proxy.close();
    }
  });
});

/** Every admin route the app serves behind the gate, with its parameters filled in. */
function adminRoutes(proxy: RunningProxy): { method: string; path: string }[] {
  const seen = new Set<string>();
  const routes: { method: string; path: string }[] = [];
  for (const route of proxy.app.routes) {
    if (!route.path.startsWith("/_miroir/") || route.method === "ALL") continue;
    // Readiness is for load balancers and the console's files hold no data: both open.
    if (route.path === "/_miroir/ready" || route.path.startsWith("/_miroir/ui")) continue;
    const path = route.path.replace(/:[A-Za-z]+/g, "x").replace(/\*$/, "x");
    const key = `${route.method} ${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push({ method: route.method, path });
  }
  return routes;
}

const CONFIGURATIONS = {
  "an admin key": { admin: { api_key: ADMIN } },
  "only a master key": { master_key: MASTER, admin: { api_key: null } },
  "an admin key and a master key": { master_key: MASTER, admin: { api_key: ADMIN } },
  "an admin key, admin API disabled": {
    admin: { api_key: ADMIN, enabled: false },
    admin_ui: { enabled: false },
  },
} as const;

describe("the admin API", () => {
  for (const [name, overrides] of Object.entries(CONFIGURATIONS)) {
    it(`answers 401 on every route without the admin key, with ${name}`, async () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      });
      const proxy = await createProxy(testConfig(overrides), {
        logger: pino({ level: "warn" }, sink),
      });
      try {
        const routes = adminRoutes(proxy);
        expect(routes.length).toBeGreaterThan(10);
        const adminKey = (overrides.admin as { api_key: string | null }).api_key;
        const expected = adminKey ?? MASTER;
        const wrong: Record<string, string>[] = [
          {},
          { "x-admin-key": "wrong-admin-key-presented" },
          { authorization: "Bearer wrong-admin-key-presented" },
          { authorization: `Basic ${Buffer.from(`admin:${expected}`).toString("base64")}` },
          { "x-admin-key": "" },
          { "x-admin-key": `${expected}x` },
          // With an admin key set, the master key is no admin key.
          ...(adminKey !== null && "master_key" in overrides ? [{ "x-admin-key": MASTER }] : []),
        ];
        for (const { method, path } of routes) {
          for (const headers of wrong) {
            const answer = await proxy.app.request(path, { method, headers });
            const context = `${method} ${path} with ${JSON.stringify(headers)}`;
            expect(answer.status, context).toBe(401);
            const body = (await answer.json()) as Record<string, unknown>;
            expect(body.code, context).toBe("miroir_invalid_auth");
            expect(body.type, context).toBe("auth");
          }
        }
        const granted = await proxy.app.request("/_miroir/shards", {
          headers: { "x-admin-key": expected },
        });
        const enabled = (overrides.admin as { enabled?: boolean }).enabled !== false;
        expect(granted.status).toBe(enabled ? 200 : 404);
        const metrics = await proxy.context.metrics.exposition();
        const refusals = routes.length * wrong.length;
        const counted =
          sample(metrics, "miroir_admin_auth_failures_total", { reason: "missing" }) +
          sample(metrics, "miroir_admin_auth_failures_total", { reason: "wrong" });
        expect(counted).toBe(refusals);
        const logged = lines.join("");
        expect(logged).toContain("admin API request refused");
        expect(logged).not.toContain("wrong-admin-key-presented");
        expect(logged).not.toContain(MASTER);
      } finally {
        await proxy.close();
      }
    });
  }
});

describe("node addresses given to the admin API", () => {
  it("must be http(s) URLs without credentials, and are never echoed", async () => {
    const proxy = await createProxy(testConfig({ admin: { api_key: ADMIN } }));
    try {
      for (const address of [
        "http://user:s3cret@127.0.0.1:7700",
        "ftp://127.0.0.1:7700",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "127.0.0.1:7700",
      ]) {
        const answer = await proxy.app.request("/_miroir/nodes", {
          method: "POST",
          headers: { "x-admin-key": ADMIN, "content-type": "application/json" },
          body: JSON.stringify({ id: "node-evil", address, replicaGroup: 0 }),
        });
        expect(answer.status, address).toBe(400);
        const text = await answer.text();
        expect(JSON.parse(text).code, address).toBe("miroir_invalid_request");
        expect(text).not.toContain("s3cret");
      }
      const topology = await proxy.app.request("/_miroir/topology", {
        headers: { "x-admin-key": ADMIN },
      });
      const nodes = ((await topology.json()) as { nodes: { id: string }[] }).nodes;
      expect(nodes.map((node) => node.id)).toEqual(["node-0"]);
    } finally {
      await proxy.close();
    }
  });
});
