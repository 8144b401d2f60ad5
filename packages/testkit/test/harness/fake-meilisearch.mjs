#!/usr/bin/env node
// Stands in for a meilisearch binary in the harness's own tests: it reads the flags the
// harness passes, serves /health on --http-addr, and exits on SIGTERM.
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";

const args = process.argv.slice(2);
const flag = (name) => args[args.indexOf(name) + 1];
const [host, port] = flag("--http-addr").split(":");
if (process.env.FAKE_MEILI_ARGS) writeFileSync(process.env.FAKE_MEILI_ARGS, JSON.stringify(args));
if (process.env.FAKE_MEILI_EXIT === "1") process.exit(3);
const server = createServer((request, response) => {
  response.setHeader("content-type", "application/json");
  response.end(JSON.stringify(request.url === "/health" ? { status: "available" } : {}));
});
server.listen(Number(port), host);
process.on("SIGTERM", () => server.close(() => process.exit(0)));
