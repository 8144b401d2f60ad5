import { connect, createServer, type Server, type Socket } from "node:net";

export interface RelayOptions {
  /** where connections go: `http://127.0.0.1:PORT` or a port on 127.0.0.1 */
  target: string | number;
  /** the relay's own port (0, the default, picks a free one) */
  port?: number;
}

/**
 * A loopback TCP relay in front of a node: clients connect to `url`, the relay connects
 * to the target and copies bytes both ways, and a test can degrade the link on demand.
 */
export interface Relay {
  /** `http://127.0.0.1:PORT`, the address clients use */
  url: string;
  port: number;
  /** Holds every byte coming back from the target for `ms` before passing it on (0 stops). */
  delay(ms: number): void;
  /** Resets every open connection now (clients see ECONNRESET); new ones still go through. */
  cut(): void;
  /** Stops listening and resets open connections: clients get ECONNREFUSED until `heal()`. */
  refuse(): Promise<void>;
  /**
   * Accepts connections but moves no byte either way, like a peer that stopped answering,
   * until `heal()` (held bytes then flow again).
   */
  hang(): void;
  /** Back to a clean link: listening, no delay, nothing held. */
  heal(): Promise<void>;
  /** Stops the relay and resets its connections. */
  close(): Promise<void>;
}

interface Link {
  client: Socket;
  upstream: Socket | undefined;
}

function targetOf(target: string | number): { host: string; port: number } {
  if (typeof target === "number") return { host: "127.0.0.1", port: target };
  const url = new URL(target);
  return { host: url.hostname, port: Number(url.port) };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : port);
    });
  });
}

function reset(socket: Socket | undefined): void {
  if (socket === undefined || socket.destroyed) return;
  socket.resetAndDestroy();
}

/**
 * Bytes from the target are queued with the time they may leave, so a delay keeps their
 * order and a later, shorter delay never overtakes earlier bytes.
 */
class DelayedWriter {
  private readonly queue: { due: number; chunk: Buffer }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly to: Socket,
    private readonly delayMs: () => number,
  ) {}

  push(chunk: Buffer): void {
    const ms = this.delayMs();
    if (ms === 0 && this.queue.length === 0) {
      this.to.write(chunk);
      return;
    }
    const last = this.queue[this.queue.length - 1]?.due ?? 0;
    this.queue.push({ due: Math.max(Date.now() + ms, last), chunk });
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const next = this.queue[0];
    if (next === undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        while (this.queue.length > 0 && (this.queue[0]?.due ?? 0) <= Date.now()) {
          const item = this.queue.shift();
          if (item !== undefined && !this.to.destroyed) this.to.write(item.chunk);
        }
        this.schedule();
      },
      Math.max(0, next.due - Date.now()),
    );
  }

  stop(): void {
    clearTimeout(this.timer);
    this.queue.length = 0;
  }
}

/** Starts a relay on 127.0.0.1 in front of `target`. */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const target = targetOf(options.target);
  const links = new Set<Link>();
  let delayMs = 0;
  let hanging = false;
  let server: Server | undefined;

  const open = (link: Link) => {
    const { client } = link;
    const upstream = connect(target.port, target.host);
    link.upstream = upstream;
    const back = new DelayedWriter(client, () => delayMs);
    upstream.on("data", (chunk: Buffer) => back.push(chunk));
    client.on("data", (chunk: Buffer) => upstream.write(chunk));
    client.on("end", () => upstream.end());
    // a target that is down looks like a node that resets the connection
    upstream.on("error", () => reset(client));
    upstream.on("close", () => {
      back.stop();
      if (!client.destroyed) client.end();
    });
    client.on("close", () => {
      back.stop();
      if (!upstream.destroyed) upstream.destroy();
      links.delete(link);
    });
    if (hanging) {
      client.pause();
      upstream.pause();
    }
  };

  const accept = (client: Socket) => {
    const link: Link = { client, upstream: undefined };
    links.add(link);
    client.on("error", () => reset(link.upstream));
    if (hanging) client.pause();
    else open(link);
  };

  const start = async (port: number) => {
    const next = createServer(accept);
    const bound = await listen(next, port);
    server = next;
    return bound;
  };
  const stopListening = () =>
    new Promise<void>((resolve) => {
      const current = server;
      server = undefined;
      if (current === undefined) resolve();
      else current.close(() => resolve());
    });
  const cut = () => {
    for (const link of links) {
      reset(link.client);
      reset(link.upstream);
    }
    links.clear();
  };

  const port = await start(options.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    delay: (ms) => {
      delayMs = Math.max(0, ms);
    },
    cut,
    refuse: async () => {
      const closing = stopListening();
      cut();
      await closing;
    },
    hang: () => {
      hanging = true;
      for (const link of links) {
        link.client.pause();
        link.upstream?.pause();
      }
    },
    heal: async () => {
      delayMs = 0;
      hanging = false;
      for (const link of links) {
        if (link.upstream === undefined) open(link);
        link.client.resume();
        link.upstream?.resume();
      }
      if (server === undefined) await start(port);
    },
    close: async () => {
      const closing = stopListening();
      cut();
      await closing;
    },
  };
}
