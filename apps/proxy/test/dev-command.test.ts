import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const devScript = fileURLToPath(new URL("../dist/dev.js", import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

describe("the dev command (npm run dev)", () => {
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child?.exitCode === null) {
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });

  it("prints the URL and keys, then ready once /health answers available, and stops on SIGTERM", async () => {
    expect(existsSync(devScript), "build the proxy first: pnpm --filter @miroir/proxy build").toBe(
      true,
    );
    const port = await freePort();
    child = spawn(process.execPath, [devScript], {
      env: { ...process.env, MIROIR_DEV_PORT: String(port), MEILI_BIN: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "ready" in 20 s:\n${output}`)), 20_000);
      child?.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (/^ready$/m.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child?.stderr?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      child?.once("exit", (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
    expect(output).toContain(`http://127.0.0.1:${port}`);
    expect(output).toContain("master key:");
    expect(output).toContain("admin key:");
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await health.json()).toEqual({ status: "available" });

    const exited = new Promise<number | null>((resolve) => child?.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 30_000);
});
