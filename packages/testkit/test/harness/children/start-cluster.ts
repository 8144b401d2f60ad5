// A child process that starts a real cluster through the harness, prints its node pids
// (and data folders) as one JSON line and then waits to be killed: the orphan test SIGKILLs it.
import { startCluster } from "../../../src/index.js";

const bin = process.argv[2];
if (bin !== undefined) process.env.MEILI_BIN = bin;
const cluster = await startCluster({ nodes: 2, real: true });
const pids = cluster.nodes.map((node) => node.meili?.pid);
const addresses = cluster.nodes.map((node) => node.address);
const dirs = cluster.nodes.map((node) => node.meili?.dir);
process.stdout.write(`${JSON.stringify({ pids, addresses, dirs })}\n`);
setInterval(() => {}, 60_000);
