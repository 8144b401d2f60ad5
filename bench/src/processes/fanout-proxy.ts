import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { announceUrl } from "./child-service.js";

/**
 * The floor of SPEC §11: the least a Node proxy must do to answer a search over several
 * shards — parse the query, send it to every node over keep-alive pools, sort the hits by
 * `_rankingScore`, answer. No auth, no settings, no covering sets, no score details, no
 * facets: whatever Miroir adds beyond this is what its correctness costs.
 */
interface Hit {
  _rankingScore?: number;
  [field: string]: unknown;
}

interface NodeAnswer {
  hits?: Hit[];
  processingTimeMs?: number;
  estimatedTotalHits?: number;
}

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "" },
    "master-key": { type: "string" },
  },
});
const pools = values.nodes
  .split(",")
  .filter((url) => url !== "")
  .map((url) => new Pool(url, { connections: 32, keepAliveTimeout: 60_000 }));
const headers: Record<string, string> = { "content-type": "application/json" };
if (values["master-key"] !== undefined) headers.authorization = `Bearer ${values["master-key"]}`;

async function askNode(pool: Pool, path: string, body: string): Promise<NodeAnswer> {
  const answer = await pool.request({ method: "POST", path, headers, body });
  return (await answer.body.json()) as NodeAnswer;
}

async function search(path: string, text: string): Promise<unknown> {
  const query = JSON.parse(text === "" ? "{}" : text) as Record<string, unknown>;
  const limit = typeof query.limit === "number" ? query.limit : 20;
  const offset = typeof query.offset === "number" ? query.offset : 0;
  const nodeQuery = JSON.stringify({
    ...query,
    offset: 0,
    limit: offset + limit,
    showRankingScore: true,
  });
  const answers = await Promise.all(pools.map((pool) => askNode(pool, path, nodeQuery)));
  const hits = answers.flatMap((answer) => answer.hits ?? []);
  hits.sort((a, b) => (b._rankingScore ?? 0) - (a._rankingScore ?? 0));
  const page = hits.slice(offset, offset + limit);
  if (query.showRankingScore !== true) for (const hit of page) delete hit._rankingScore;
  return {
    hits: page,
    query: query.q ?? "",
    processingTimeMs: Math.max(0, ...answers.map((answer) => answer.processingTimeMs ?? 0)),
    limit,
    offset,
    estimatedTotalHits: answers.reduce((sum, answer) => sum + (answer.estimatedTotalHits ?? 0), 0),
  };
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.once("end", () => {
    const path = request.url ?? "/";
    if (request.method !== "POST" || !path.endsWith("/search")) {
      response.writeHead(404).end();
      return;
    }
    search(path, Buffer.concat(chunks).toString()).then(
      (answer) => {
        const body = JSON.stringify(answer);
        response.writeHead(200, {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        });
        response.end(body);
      },
      (error: unknown) => {
        response.writeHead(502).end(String(error));
      },
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  announceUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

const stop = () => {
  server.closeAllConnections();
  server.close();
  Promise.all(pools.map((pool) => pool.close())).then(() => process.exit(0));
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
