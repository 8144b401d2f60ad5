import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  isErrorCode,
  MeiliError,
  meiliCodes,
  meiliError,
  miroirCodes,
  parseErrorBody,
  specOf,
} from "./index.js";

const sharedCatalogue = fileURLToPath(
  new URL("../../../../shared/meili-error-codes.json", import.meta.url),
);

describe("Meilisearch's catalogue", () => {
  it.runIf(existsSync(sharedCatalogue))(
    "holds every code of Meilisearch with its status and type, and nothing else",
    () => {
      const shared = JSON.parse(readFileSync(sharedCatalogue, "utf8")) as {
        codes: { code: string; status: number; type: string }[];
      };
      const expected = Object.fromEntries(
        shared.codes.map((c) => [c.code, { status: c.status, type: c.type }]),
      );
      expect(meiliCodes).toEqual(expected);
    },
  );

  it("keeps Miroir's codes apart from Meilisearch's", () => {
    for (const code of Object.keys(miroirCodes)) {
      expect(code.startsWith("miroir_")).toBe(true);
      expect(code in meiliCodes).toBe(false);
    }
  });
});

describe("meiliError", () => {
  it("builds Meilisearch's body, status and link for a Meilisearch code", () => {
    const error = meiliError("index_not_found", "Index `movies` not found.");
    expect(error).toBeInstanceOf(MeiliError);
    expect(error.status).toBe(404);
    expect(error.toBody()).toEqual({
      message: "Index `movies` not found.",
      code: "index_not_found",
      type: "invalid_request",
      link: "https://docs.meilisearch.com/errors#index_not_found",
    });
    expect(error.headers()).toEqual({});
  });

  it("links Miroir's own codes to Miroir's error reference", () => {
    const error = meiliError("miroir_no_quorum", "no quorum");
    expect(error.toBody()).toMatchObject({
      type: "system",
      link: "docs/errors.md#miroir_no_quorum",
    });
    expect(error.status).toBe(503);
  });

  it("answers 503 errors with Retry-After: 10, as Meilisearch does", async () => {
    const response = meiliError("miroir_shard_unavailable", "shard 3 is down").toResponse({
      "x-miroir-degraded": "shards=3",
    });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("10");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-miroir-degraded")).toBe("shards=3");
    expect(await response.json()).toMatchObject({ code: "miroir_shard_unavailable" });
  });

  it("passes a node's error through with its own status", () => {
    const body = { message: "m", code: "future_code", type: "invalid_request" as const, link: "l" };
    const error = new MeiliError(body, 418);
    expect(error.status).toBe(418);
    expect(error.toBody()).toEqual(body);
  });
});

describe("parseErrorBody", () => {
  it("reads a Meilisearch error body", () => {
    expect(
      parseErrorBody({ message: "m", code: "invalid_api_key", type: "auth", link: "x" }),
    ).toEqual({ message: "m", code: "invalid_api_key", type: "auth", link: "x" });
  });

  it("fills a missing link from the code", () => {
    expect(
      parseErrorBody({ message: "m", code: "bad_request", type: "invalid_request" })?.link,
    ).toBe("https://docs.meilisearch.com/errors#bad_request");
  });

  it.each([
    null,
    3,
    "x",
    {},
    { message: "m", code: "c", type: "nope" },
    { message: 1, code: "c", type: "auth" },
  ])("refuses %j, which is not an error body", (value) => {
    expect(parseErrorBody(value)).toBeUndefined();
  });
});

describe("specOf and isErrorCode", () => {
  it("knows both vocabularies", () => {
    expect(specOf("payload_too_large")).toEqual({ status: 413, type: "invalid_request" });
    expect(specOf("miroir_invalid_auth")).toEqual({ status: 401, type: "auth" });
    expect(isErrorCode("document_not_found")).toBe(true);
    expect(isErrorCode("miroir_reserved_field")).toBe(true);
    expect(isErrorCode("no_such_code")).toBe(false);
  });
});
