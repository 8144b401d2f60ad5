import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, type LaunchedProcess, launch } from "./launched-process.js";

const devScript = fileURLToPath(new URL("../dist/dev.js", import.meta.url));

describe("the dev command (npm run dev)", () => {
  let dev: LaunchedProcess | undefined;
  afterAll(async () => {
    // SIGTERM, so that it stops the nodes it started.
    await dev?.stop("SIGTERM");
  });

  it("prints the URL and keys, then ready once /health answers available, and stops on SIGTERM", async () => {
    expect(existsSync(devScript), "build the proxy first: pnpm --filter @miroir/proxy build").toBe(
      true,
    );
    const port = await freePort();
    dev = await launch(devScript, [], (output) => /^ready$/m.test(output), {
      env: { ...process.env, MIROIR_DEV_PORT: String(port), MEILI_BIN: "" },
    });
    const output = dev.output();
    expect(output).toContain(`http://127.0.0.1:${port}`);
    expect(output).toContain("master key:");
    expect(output).toContain("admin key:");
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await health.json()).toEqual({ status: "available" });

    dev.child.kill("SIGTERM");
    expect(await dev.exited).toBe(0);
  }, 30_000);
});
