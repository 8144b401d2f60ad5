import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseConfig } from "@miroir/config";
import { isRealMode, startCluster } from "@miroir/testkit";
import { createProxy } from "./proxy.js";

/**
 * `npm run dev`: a local 3-node cluster (emulated, or real Meilisearch with `MEILI_BIN`)
 * behind Miroir, state under `<repo>/.miroir/`. For trying Miroir out, never production.
 */
const DEV_MASTER_KEY = "miroir-dev-master-key";
const DEV_ADMIN_KEY = "miroir-dev-admin-key";

async function dev(): Promise<void> {
  const port = Number(process.env.MIROIR_DEV_PORT ?? 7700);
  const masterKey = process.env.MIROIR_MASTER_KEY ?? DEV_MASTER_KEY;
  const adminKey = process.env.MIROIR_ADMIN_API_KEY ?? DEV_ADMIN_KEY;
  const stateDir = fileURLToPath(new URL("../../../.miroir/", import.meta.url));
  mkdirSync(stateDir, { recursive: true });

  const cluster = await startCluster({ nodes: 3, shards: 16, masterKey, real: isRealMode() });
  const config = parseConfig({
    ...cluster.config,
    master_key: masterKey,
    admin: { api_key: adminKey },
    task_store: { backend: "sqlite", path: `${stateDir}dev-tasks.db` },
    server: { host: "127.0.0.1", port, log_level: process.env.MIROIR_LOG_LEVEL ?? "warn" },
  });
  const proxy = await createProxy(config);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await proxy.close();
    await cluster.stop();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);

  const { url } = await proxy.listen(port);
  process.stdout.write(
    [
      `Miroir dev cluster: ${cluster.nodes.length} ${cluster.mode} nodes, ${config.shards} shards`,
      `  url:           ${url}`,
      `  master key:    ${masterKey}`,
      `  admin key:     ${adminKey}`,
      `  state:         ${stateDir}`,
      "",
    ].join("\n"),
  );
  await untilHealthy(url);
  process.stdout.write("ready\n");
}

async function untilHealthy(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const answer = await fetch(`${url}/health`);
      const body = (await answer.json()) as { status?: string };
      if (body.status === "available") return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the proxy at ${url} never answered /health`);
}

dev().catch((error: unknown) => {
  process.stderr.write(`miroir dev: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
