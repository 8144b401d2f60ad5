#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "@miroir/config";
import { pino } from "pino";
import { UnsafeConfigError } from "./auth/index.js";
import { createProxy } from "./proxy.js";

const USAGE = `Usage: miroir [--config FILE] [--log-level LEVEL]

  --config FILE       YAML configuration (default: $MIROIR_CONFIG; else defaults + environment)
  --log-level LEVEL   fatal | error | warn | info | debug | trace | silent (overrides server.log_level)
  --help              show this help`;

async function main(): Promise<number> {
  let args: ReturnType<typeof parseCommandLine>;
  try {
    args = parseCommandLine();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const path = args.config ?? process.env.MIROIR_CONFIG;
  let config: ReturnType<typeof loadConfig>;
  try {
    const file = path === undefined ? undefined : { path, text: readFileSync(path, "utf8") };
    config = loadConfig({ file, env: process.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(`miroir: cannot read ${path}: ${(error as Error).message}\n`);
    return 2;
  }
  const logger = pino({ level: args["log-level"] ?? config.server.log_level });
  let proxy: Awaited<ReturnType<typeof createProxy>>;
  try {
    proxy = await createProxy(config, { logger });
  } catch (error) {
    if (!(error instanceof UnsafeConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const { url } = await proxy.listen();
  const metrics = await proxy.listenMetrics();
  logger.info(
    { url, metrics: `${metrics.url}/metrics`, nodes: config.nodes.length, shards: config.shards },
    "miroir listening",
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, "stopping: finishing in-flight requests");
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await proxy.close();
  logger.info("stopped");
  return 0;
}

function parseCommandLine() {
  return parseArgs({
    options: {
      config: { type: "string" },
      "log-level": { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  }).values;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`miroir: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
