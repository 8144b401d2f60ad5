import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, removeHome, runCtl } from "./ctl-process.js";
import { MASTER_KEY, type MiroirUnderTest, startMiroir } from "./miroir-under-test.js";

describe("miroir-ctl keys against a proxy over a testkit cluster", () => {
  let miroir: MiroirUnderTest;
  let home: string;
  const ctl = (args: string[], env: Record<string, string> = { MIROIR_MASTER_KEY: MASTER_KEY }) =>
    runCtl([...args, "--url", miroir.url], { home, env });

  beforeAll(async () => {
    home = await makeHome();
    miroir = await startMiroir({ nodes: 2, shards: 4 });
  });
  afterAll(async () => {
    await miroir?.stop();
    await removeHome(home);
  });

  it("lists Meilisearch's default keys as a table", async () => {
    const run = await ctl(["keys", "list"]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^UID\s+NAME\s+ACTIONS\s+INDEXES\s+EXPIRES AT\s+KEY$/);
    expect(run.stdout).toContain("Default Search API Key");
    expect(lines.at(-1)).toMatch(/^\d+ of \d+ keys$/);
  });

  it("creates a key on every node, lists it, and deletes it by uid", async () => {
    const uid = "6a0e8b5c-2f7d-4e3a-9c1b-0d4f5e6a7b8c";
    const created = await ctl([
      "keys",
      "create",
      "--action",
      "search",
      "--action",
      "documents.get",
      "--index",
      "movies",
      "--name",
      "movie-search",
      "--uid",
      uid,
      "--json",
    ]);
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout);
    expect(key).toMatchObject({
      uid,
      name: "movie-search",
      actions: ["search", "documents.get"],
      indexes: ["movies"],
      expiresAt: null,
    });
    for (const node of miroir.cluster.nodes) {
      const onNode = await fetch(`${node.address}/keys/${uid}`, {
        headers: { authorization: `Bearer ${String(miroir.cluster.config.node_master_key)}` },
      });
      expect(((await onNode.json()) as { key: string }).key).toBe(key.key);
    }
    const listed = JSON.parse((await ctl(["keys", "list", "--json", "--limit", "100"])).stdout);
    expect(listed.results.map((entry: { uid: string }) => entry.uid)).toContain(uid);

    const deleted = await ctl(["keys", "delete", uid]);
    expect(deleted).toEqual({ code: 0, stdout: `Deleted key ${uid}.\n`, stderr: "" });
    const again = await ctl(["keys", "delete", uid]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^Error: .*\(api_key_not_found, HTTP 404\)\n$/);
  });

  it("prints the new key for people, with its actions and expiry", async () => {
    const run = await ctl([
      "keys",
      "create",
      "--action",
      "search",
      "--expires-at",
      "2099-01-01T00:00:00Z",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Created key [0-9a-f-]{36}\nkey: {5}[0-9a-f]{64}\nactions: search\nindexes: \*\nexpires: 2099-01-01T00:00:00Z\n$/,
    );
  });

  it("passes the server's refusal through: wrong key exit 1, missing key exit 1 with a hint", async () => {
    const wrong = await ctl(["keys", "list", "--api-key", "not-the-master-key"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /^Error: The provided API key is invalid\. \(invalid_api_key, HTTP 403\)\. The API key came from the flag\.\n$/,
    );
    const missing = await ctl(["keys", "list"], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      "(missing_authorization_header, HTTP 401). No API key was sent: pass --api-key, set MIROIR_MASTER_KEY",
    );
  });

  it("exits 2 when create has no --action", async () => {
    const run = await ctl(["keys", "create", "--index", "movies"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Missing required flag action");
  });
});
