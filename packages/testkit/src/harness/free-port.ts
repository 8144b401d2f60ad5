import { createServer } from "node:net";

/**
 * Hands out ports `probe` finds free, each at most once. A port is free only until its process binds it,
 * and the system may offer the same one again in between (seen under heavy load: two nodes
 * of one cluster got the same port, and the second, failing to bind, passed its health
 * check on the first); a port handed out once is never handed out again by this process.
 * `probe` asks the system for a free port.
 */
export function portSource(probe: () => Promise<number>): () => Promise<number> {
  const handedOut = new Set<number>();
  return async () => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const port = await probe();
      if (!handedOut.has(port)) {
        handedOut.add(port);
        return port;
      }
    }
    throw new Error("no loopback port this process has not handed out already");
  };
}

function probeLoopback(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A loopback port that was free a moment ago (for processes that need it on the command line). */
export const freePort = portSource(probeLoopback);
