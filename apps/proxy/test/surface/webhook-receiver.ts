import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

/** One notification as a receiver got it: its headers and the tasks of its NDJSON body. */
export interface Notification {
  readonly headers: IncomingHttpHeaders;
  readonly tasks: Record<string, unknown>[];
}

export interface WebhookReceiver {
  readonly url: string;
  readonly notifications: Notification[];
  close(): Promise<void>;
}

/** A loopback HTTP server that records every POST it gets as webhook notifications. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const notifications: Notification[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks);
      const text = (
        request.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw
      ).toString();
      notifications.push({
        headers: request.headers,
        tasks: text
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    notifications,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
