import { createServer } from "node:http";
import { createRequire, register } from "node:module";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { announceUrl } from "../../processes/child-service.js";

/**
 * Miroir's own bin (`apps/proxy/dist/main.js --config FILE`) in a process that also answers
 * a probe server, so a curve can read the proxy's CPU time, its memory after a full
 * garbage collection and, with `--count-store`, every call it made on its task store and
 * what the backend did for them (SQL statements run; Redis commands are read from the
 * server). Announces `{url: probe URL}`; the proxy listens where its configuration says.
 */
const { values } = parseArgs({
  options: {
    config: { type: "string" },
    "count-store": { type: "boolean", default: false },
  },
});

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let sqlStatements = 0;
let storeCalls: ReadonlyMap<string, number> = new Map();
if (values["count-store"]) {
  // The real package, resolved before the hooks would redirect it.
  const taskStore = fileURLToPath(import.meta.resolve("@miroir/taskstore"));
  const wrapperUrl = new URL("./counted-task-store.js", import.meta.url).href;
  register(new URL("./taskstore-hooks.js", import.meta.url), { data: { wrapperUrl } });
  storeCalls = ((await import(wrapperUrl)) as { storeCalls: Map<string, number> }).storeCalls;
  // The better-sqlite3 the task store loads: every statement run goes through these.
  const Database = createRequire(taskStore)("better-sqlite3") as new (
    path: string,
  ) => { prepare(sql: string): object; close(): void };
  const scratch = new Database(":memory:");
  const statement = Object.getPrototypeOf(scratch.prepare("SELECT 1")) as Record<
    string,
    (...args: unknown[]) => unknown
  >;
  scratch.close();
  for (const method of ["run", "get", "all", "iterate"]) {
    const original = statement[method] as (...args: unknown[]) => unknown;
    statement[method] = function (this: unknown, ...args: unknown[]) {
      sqlStatements += 1;
      return original.apply(this, args);
    };
  }
}

const probe = createServer((request, response) => {
  let body: unknown;
  if (request.url === "/cpu") {
    body = process.cpuUsage();
  } else if (request.url === "/memory") {
    gc();
    gc();
    body = process.memoryUsage();
  } else if (request.url === "/store") {
    body = { calls: Object.fromEntries(storeCalls), sqlStatements };
  } else {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
});
await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
probe.unref();

const main = fileURLToPath(new URL("./main.js", import.meta.resolve("@miroir/proxy")));
process.argv = [process.execPath, main, "--config", values.config ?? "", "--log-level", "warn"];
await import(main);
announceUrl(`http://127.0.0.1:${(probe.address() as AddressInfo).port}`);
