import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliFailure } from "../cli-failure.js";
import { defaultCredentialsPath, parseCredentials } from "./credentials-file.js";
import { resolveAdminKey, resolveApiKey } from "./resolve-keys.js";

describe("where miroir-ctl takes its keys from", () => {
  let home: string;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), "miroir-ctl-keys-"));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  async function writeCredentials(text: string, mode: number): Promise<string> {
    const path = defaultCredentialsPath(home);
    await mkdir(join(home, ".config", "miroir"), { recursive: true });
    await writeFile(path, text);
    await chmod(path, mode);
    return path;
  }

  it("lets an explicit --admin-key win over MIROIR_ADMIN_API_KEY and the credentials file", async () => {
    await writeCredentials('[default]\nadmin_api_key = "from-file"\n', 0o600);
    const env = { MIROIR_ADMIN_API_KEY: "from-env" };
    expect(await resolveAdminKey({ flag: "from-flag", env, home })).toEqual({
      value: "from-flag",
      source: "flag",
    });
    expect(await resolveAdminKey({ flag: undefined, env, home })).toEqual({
      value: "from-env",
      source: "environment",
    });
    expect(await resolveAdminKey({ flag: undefined, env: {}, home })).toEqual({
      value: "from-file",
      source: "credentials file",
    });
  });

  it("takes the API key from --api-key, then MIROIR_MASTER_KEY, then api_key in the file", async () => {
    await writeCredentials('[default]\napi_key = "api-from-file"\n', 0o600);
    expect(await resolveApiKey({ flag: "f", env: { MIROIR_MASTER_KEY: "e" }, home })).toEqual({
      value: "f",
      source: "flag",
    });
    expect(await resolveApiKey({ flag: undefined, env: { MIROIR_MASTER_KEY: "e" }, home })).toEqual(
      { value: "e", source: "environment" },
    );
    expect(await resolveApiKey({ flag: undefined, env: {}, home })).toEqual({
      value: "api-from-file",
      source: "credentials file",
    });
  });

  it("answers no key when there is no flag, no variable and no file", async () => {
    expect(await resolveAdminKey({ flag: undefined, env: {}, home })).toBeUndefined();
    expect(await resolveApiKey({ flag: "", env: { MIROIR_MASTER_KEY: "" }, home })).toBeUndefined();
  });

  it("refuses a credentials file that other users can read, saying how to fix it", async () => {
    const path = await writeCredentials('[default]\nadmin_api_key = "k"\n', 0o644);
    const refused = resolveAdminKey({ flag: undefined, env: {}, home });
    await expect(refused).rejects.toBeInstanceOf(CliFailure);
    await expect(refused).rejects.toThrow(
      `Refusing to read ${path}: its mode is 0644, which lets other users read it. Run \`chmod 600 ${path}\`.`,
    );
    await chmod(path, 0o640);
    await expect(resolveAdminKey({ flag: undefined, env: {}, home })).rejects.toThrow(/0640/);
  });

  it("never opens the file when a flag or a variable gives the key", async () => {
    await writeCredentials("this is not toml", 0o666);
    expect((await resolveAdminKey({ flag: "k", env: {}, home }))?.source).toBe("flag");
    expect(
      (await resolveAdminKey({ flag: undefined, env: { MIROIR_ADMIN_API_KEY: "k" }, home }))
        ?.source,
    ).toBe("environment");
  });
});

describe("the credentials file format", () => {
  it("reads string values of [default], quoted either way, and skips comments and other profiles", () => {
    const text = [
      "# miroir-ctl credentials",
      "[staging]",
      'admin_api_key = "not-this-one"',
      "",
      "[default]",
      "admin_api_key = 'single \\ quoted'",
      'api_key = "with \\"escapes\\"" # trailing comment',
    ].join("\n");
    expect(parseCredentials(text, "creds")).toEqual({
      adminApiKey: "single \\ quoted",
      apiKey: 'with "escapes"',
    });
  });

  it("names the line it cannot read", () => {
    expect(() => parseCredentials("[default]\nadmin_api_key = unquoted\n", "creds")).toThrow(
      'creds:2: expected `[default]` or `name = "value"`, found `admin_api_key = unquoted`.',
    );
  });
});
