import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { endProcess } from "./child-service.js";
import { freePort } from "./free-port.js";

export interface RedisProcess {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** A throw-away `redis-server` on a loopback port, without persistence. */
export async function startRedisProcess(): Promise<RedisProcess> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "miroir-bench-redis-"));
  const server = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const stop = async () => {
    await endProcess(server, 5_000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let output = "";
      const settle = (error?: Error) => {
        clearTimeout(timer);
        server.stdout?.off("data", collect);
        server.stderr?.off("data", collect);
        server.off("exit", exited);
        server.off("error", settle);
        server.stdout?.resume();
        server.stderr?.resume();
        if (error === undefined) resolve();
        else reject(error);
      };
      const exited = (code: number | null) =>
        settle(new Error(`redis-server exited with ${code}: ${output.slice(-500)}`));
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ready to accept connections")) settle();
      };
      const timer = setTimeout(
        () => settle(new Error(`redis-server did not start within 10 s: ${output.slice(-500)}`)),
        10_000,
      );
      server.once("error", settle);
      server.once("exit", exited);
      server.stdout?.on("data", collect);
      server.stderr?.on("data", collect);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}

/**
 * Commands the server has run since it started, by name, from `INFO commandstats`
 * (the INFO commands that read them are left out).
 */
export function redisCommandCalls(port: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let reply = "";
    socket.setTimeout(5_000, () => socket.destroy(new Error("INFO commandstats timed out")));
    socket.once("error", reject);
    socket.on("data", (chunk: Buffer) => {
      reply += chunk.toString("latin1");
      const header = /^\$(\d+)\r\n/.exec(reply);
      if (header === null || reply.length < header[0].length + Number(header[1])) return;
      socket.end();
      const calls = new Map<string, number>();
      for (const match of reply.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
        if (match[1] !== "info") calls.set(match[1] as string, Number(match[2]));
      }
      resolve(calls);
    });
    socket.write("*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n");
  });
}
