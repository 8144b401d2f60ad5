import { connect, createServer, type Socket } from "node:net";

/** A TCP relay on loopback in front of one node, that a test can cut and restore. */
export interface LoopbackRelay {
  /** The address to give Miroir instead of the node's. */
  readonly url: string;
  /** Drops every open connection and resets every new one until `restore`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * Relays `target` (an `http://host:port` URL) byte for byte; a real node and an emulated
 * one fail the same way behind it, as a network cut would make them.
 */
export async function startRelay(target: string): Promise<LoopbackRelay> {
  const { hostname, port } = new URL(target);
  const open = new Set<Socket>();
  let cut = false;
  const server = createServer((client) => {
    if (cut) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const relayPort = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${relayPort}`,
    cut() {
      cut = true;
      for (const socket of open) socket.resetAndDestroy();
    },
    restore() {
      cut = false;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
