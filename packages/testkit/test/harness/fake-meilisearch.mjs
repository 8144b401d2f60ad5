#!/usr/bin/env node
// Stands in for a meilisearch binary in the harness's own tests when MEILI_BIN is not set:
// it reads the flags the harness passes, serves /health on --http-addr, keeps the uids of
// the indexes created with `POST /indexes` in --db-path (so a restart finds them), and
// exits on SIGTERM.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";

const args = process.argv.slice(2);
const flag = (name) => args[args.indexOf(name) + 1];
const [host, port] = flag("--http-addr").split(":");
if (process.env.FAKE_MEILI_ARGS) writeFileSync(process.env.FAKE_MEILI_ARGS, JSON.stringify(args));
if (process.env.FAKE_MEILI_EXIT === "1") process.exit(3);
mkdirSync(flag("--db-path"), { recursive: true });
const stored = join(flag("--db-path"), "indexes.json");
const indexes = existsSync(stored) ? JSON.parse(readFileSync(stored, "utf8")) : [];

const server = createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => {
    body += chunk;
  });
  request.on("end", () => {
    response.setHeader("content-type", "application/json");
    if (request.url === "/health") {
      response.end(JSON.stringify({ status: "available" }));
    } else if (request.method === "POST" && request.url === "/indexes") {
      indexes.push(JSON.parse(body).uid);
      writeFileSync(stored, JSON.stringify(indexes));
      response.statusCode = 202;
      response.end(JSON.stringify({ taskUid: indexes.length - 1 }));
    } else if (request.method === "GET" && request.url?.startsWith("/indexes/")) {
      const uid = request.url.slice("/indexes/".length);
      response.statusCode = indexes.includes(uid) ? 200 : 404;
      response.end(JSON.stringify(indexes.includes(uid) ? { uid } : { code: "index_not_found" }));
    } else {
      response.end("{}");
    }
  });
});
server.listen(Number(port), host);
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
