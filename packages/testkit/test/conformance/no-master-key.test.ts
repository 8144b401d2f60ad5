import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRealMode, startMeiliProcess, startNode } from "../../src/index.js";
import { expectError } from "./node-under-test.js";

describe("a node started without a master key", () => {
  let url = "";
  let stop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const started = isRealMode() ? await startMeiliProcess({ masterKey: null }) : await startNode();
    url = started.url;
    stop = started.stop;
  });
  afterAll(() => stop());

  it("serves every route without any key", async () => {
    const answer = await fetch(`${url}/indexes`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ results: [], total: 0 });
  });

  it("answers missing_master_key on /keys", async () => {
    const answer = await fetch(`${url}/keys`);
    expectError(
      { status: answer.status, body: await answer.json(), headers: answer.headers },
      401,
      "missing_master_key",
      "auth",
    );
  });
});
