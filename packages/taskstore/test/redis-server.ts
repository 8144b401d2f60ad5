import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts a throw-away redis-server on a loopback port; resolves once it accepts connections. */
export function startRedis(port: number, directory: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
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
        directory,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    let ready = false;
    const fail = (error: Error) => {
      clearTimeout(timer);
      if (!ready) reject(error);
    };
    const timer = setTimeout(() => {
      server.kill();
      fail(new Error(`redis-server did not start within 10 s: ${output.slice(-500)}`));
    }, 10_000);
    server.once("error", fail);
    server.once("exit", (code) =>
      fail(new Error(`redis-server exited with code ${String(code)}: ${output.slice(-500)}`)),
    );
    const collect = (chunk: Buffer) => {
      if (ready) return;
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        ready = true;
        clearTimeout(timer);
        resolve(server);
      }
    };
    server.stdout?.on("data", collect);
    server.stderr?.on("data", collect);
  });
}

export function stopRedis(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) return resolve();
    server.once("exit", () => resolve());
    server.kill("SIGTERM");
  });
}
