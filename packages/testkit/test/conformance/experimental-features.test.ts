import { describe, expect, it } from "vitest";
import { expectError, useNode } from "./node-under-test.js";

const node = useNode();

describe("experimental features", () => {
  it("lists every runtime feature as a boolean", async () => {
    const answer = await node().request("GET", "/experimental-features");
    expect(answer.status).toBe(200);
    for (const feature of ["metrics", "logsRoute", "editDocumentsByFunction", "network"]) {
      expect(typeof answer.body[feature]).toBe("boolean");
    }
  });

  it("changes only the features a PATCH names and answers with all of them", async () => {
    const { request } = node();
    const before = (await request("GET", "/experimental-features")).body;
    const patched = await request("PATCH", "/experimental-features", {
      containsFilter: !before.containsFilter,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ ...before, containsFilter: !before.containsFilter });
    expect((await request("GET", "/experimental-features")).body).toEqual(patched.body);
    await request("PATCH", "/experimental-features", { containsFilter: before.containsFilter });
  });

  it("refuses unknown features and values that are not booleans", async () => {
    const { request } = node();
    expectError(
      await request("PATCH", "/experimental-features", { warpDrive: true }),
      400,
      "bad_request",
    );
    expectError(
      await request("PATCH", "/experimental-features", { metrics: "yes" }),
      400,
      "bad_request",
    );
  });
});
