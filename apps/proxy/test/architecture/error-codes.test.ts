import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { miroirCodes } from "@miroir/errors";
import { describe, expect, it } from "vitest";
import { readSources } from "./import-rules.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const RESERVED = "*Not raised in this version";

interface DocumentedCode {
  readonly code: string;
  readonly status: number;
  readonly type: string;
  readonly reserved: boolean;
}

/** The rows of docs/errors.md's table of Miroir codes. */
function documentedCodes(): DocumentedCode[] {
  const text = readFileSync(`${ROOT}/docs/errors.md`, "utf8");
  return [
    ...text.matchAll(/^\| <a id="(miroir_[a-z_]+)"><\/a>`\1` \| (\d+) \| (\w+) \| (.*) \|$/gm),
  ].map(([, code, status, type, when]) => ({
    code: code as string,
    status: Number(status),
    type: type as string,
    reserved: (when as string).startsWith(RESERVED),
  }));
}

/** Every Miroir code written as a string literal in the apps' and libraries' sources. */
function raisedCodes(): Set<string> {
  const sources = [
    ...readSources(ROOT, "apps/proxy/src"),
    ...readSources(ROOT, "apps/ctl/src"),
    ...readdirSync(`${ROOT}/packages`)
      .filter((name) => name !== "errors")
      .flatMap((name) => readSources(ROOT, `packages/${name}/src`)),
  ];
  const raised = new Set<string>();
  for (const source of sources) {
    for (const [, code] of source.text.matchAll(/["'`](miroir_[a-z_]+)["'`]/g)) {
      if (code !== undefined && code in miroirCodes) raised.add(code);
    }
  }
  return raised;
}

describe("docs/errors.md and the codes Miroir raises", () => {
  const documented = documentedCodes();

  it("documents every code of the catalogue once, with its status and type", () => {
    expect(documented.map((row) => row.code).sort()).toEqual(Object.keys(miroirCodes).sort());
    for (const row of documented) {
      const spec = miroirCodes[row.code as keyof typeof miroirCodes];
      expect({ code: row.code, status: row.status, type: row.type }).toEqual({
        code: row.code,
        status: spec.status,
        type: spec.type,
      });
    }
  });

  it("marks exactly the codes nothing raises as not raised in this version", () => {
    const raised = raisedCodes();
    const claims = documented.map((row) => ({ code: row.code, raised: !row.reserved }));
    const truth = documented.map((row) => ({ code: row.code, raised: raised.has(row.code) }));
    expect(claims).toEqual(truth);
    expect(raised.has("miroir_no_quorum")).toBe(true);
  });
});
