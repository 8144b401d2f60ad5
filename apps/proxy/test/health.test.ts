import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxy, type RunningProxy } from "../src/index.js";
import { testConfig } from "./test-config.js";

describe("the proxy skeleton", () => {
  let proxy: RunningProxy;
  let url: string;

  beforeAll(async () => {
    proxy = await createProxy(testConfig({ server: { body_limit_bytes: 1024 } }));
    ({ url } = await proxy.listen(0));
  });
  afterAll(async () => {
    await proxy.close();
  });

  it("answers /health like Meilisearch", async () => {
    const answer = await fetch(`${url}/health`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: "available" });
    expect(answer.headers.get("x-request-id")).toBeTruthy();
  });

  it("rejects a body over the configured limit with payload_too_large before any route runs", async () => {
    const answer = await fetch(`${url}/health`, { method: "POST", body: "x".repeat(2048) });
    expect(answer.status).toBe(413);
    expect(await answer.json()).toMatchObject({
      code: "payload_too_large",
      type: "invalid_request",
    });
  });
});
