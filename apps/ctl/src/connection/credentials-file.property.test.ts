import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCredentials } from "./credentials-file.js";

/** How a TOML basic string writes `value`. */
function basicString(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n").replaceAll("\t", "\\t")}"`;
}

describe("the credentials file, over random keys", () => {
  it("reads back any key written as a TOML basic string", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (admin, api) => {
        fc.pre(!/[\r\u2028\u2029]/.test(admin + api));
        const text = `[default]\nadmin_api_key = ${basicString(admin)}\napi_key = ${basicString(api)}\n`;
        expect(parseCredentials(text, "creds")).toEqual({ adminApiKey: admin, apiKey: api });
      }),
    );
  });
});
