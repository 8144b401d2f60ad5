import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive } from "../../src/harness/watchdog.js";
import { type MeiliProcess, startMeiliProcess } from "../../src/index.js";
import { eventually, PROCESS_BIN, probe, processKind } from "./process-binary.js";

async function indexExists(url: string, uid: string): Promise<boolean> {
  return (await fetch(`${url}/indexes/${uid}`)).status === 200;
}

describe(`the controls of ${processKind}`, () => {
  let meili: MeiliProcess;
  beforeAll(async () => {
    meili = await startMeiliProcess({ bin: PROCESS_BIN, masterKey: null });
  });
  afterAll(async () => {
    await meili?.stop();
  });

  it("freezes the process on pause (SIGSTOP) and answers the held request on resume", async () => {
    meili.pause();
    let answered = false;
    const pending = fetch(`${meili.url}/health`).then((answer) => {
      answered = true;
      return answer.status;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered).toBe(false);
    meili.resume();
    expect(await pending).toBe(200);
  });

  it("SIGKILLs the process on kill, and restarts it on the same port over the same data", async () => {
    await fetch(`${meili.url}/indexes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ uid: "kept" }),
    });
    expect(await eventually(() => indexExists(meili.url, "kept"))).toBe(true);
    const before = meili.pid as number;
    await meili.kill();
    expect(meili.pid).toBeUndefined();
    expect(isAlive(before)).toBe(false);
    expect(await probe(`${meili.url}/health`)).toBe("ECONNREFUSED");
    await meili.restart();
    expect(meili.pid).not.toBe(before);
    expect(await indexExists(meili.url, "kept")).toBe(true);
  });

  it("restarts only a killed process", async () => {
    const pid = meili.pid;
    await meili.restart();
    expect(meili.pid).toBe(pid);
  });
});

describe(`stopping ${processKind}`, () => {
  it("ends a paused process and removes its folder", async () => {
    const meili = await startMeiliProcess({ bin: PROCESS_BIN, masterKey: null });
    const pid = meili.pid as number;
    meili.pause();
    await meili.stop();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(meili.dir)).toBe(false);
  });

  it("removes a killed process's folder on stop, and ignores signals once stopped", async () => {
    const meili = await startMeiliProcess({ bin: PROCESS_BIN, masterKey: null });
    await meili.kill();
    await meili.stop();
    expect(existsSync(meili.dir)).toBe(false);
    meili.pause();
    meili.resume();
  });
});
