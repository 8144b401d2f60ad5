import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRealMode, startMeiliProcess, startNode } from "../../src/index.js";
import { expectError } from "./node-under-test.js";

describe("a node with a 1 KiB payload limit", () => {
  let url = "";
  let stop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const started = isRealMode()
      ? await startMeiliProcess({ masterKey: null, payloadLimit: 1024 })
      : await startNode({ payloadLimit: 1024 });
    url = started.url;
    stop = started.stop;
  });
  afterAll(() => stop());

  const post = async (body: string) => {
    const answer = await fetch(`${url}/indexes/big/documents`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    return { status: answer.status, body: await answer.json(), headers: answer.headers };
  };

  it("answers payload_too_large past the limit and writes nothing", async () => {
    const large = JSON.stringify([{ id: 1, text: "x".repeat(2048) }]);
    expectError(await post(large), 413, "payload_too_large");
    const index = await fetch(`${url}/indexes/big`);
    expect(index.status).toBe(404);
  });

  it("accepts a payload under the limit", async () => {
    const small = await post(JSON.stringify([{ id: 1 }]));
    expect(small.status).toBe(202);
  });
});
