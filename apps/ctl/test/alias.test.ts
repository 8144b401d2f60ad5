import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, removeHome, runCtl } from "./ctl-process.js";
import { ADMIN_KEY, type MiroirUnderTest, startMiroir } from "./miroir-under-test.js";

describe("miroir-ctl alias against a proxy over a testkit cluster", () => {
  let miroir: MiroirUnderTest;
  let home: string;
  const ctl = (args: string[]) =>
    runCtl([...args, "--url", miroir.url], { home, env: { MIROIR_ADMIN_API_KEY: ADMIN_KEY } });

  beforeAll(async () => {
    home = await makeHome();
    miroir = await startMiroir({ nodes: 2, shards: 4 });
    for (const uid of ["films-1", "films-2"]) {
      const created = await miroir.call("/indexes", { body: { uid, primaryKey: "id" } });
      await miroir.waitTask(((await created.json()) as { taskUid: number }).taskUid);
    }
  });
  afterAll(async () => {
    await miroir?.stop();
    await removeHome(home);
  });

  it("creates, lists, shows, switches and deletes an alias", async () => {
    const created = await ctl(["alias", "create", "films", "films-1"]);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain("Created alias films.");
    const listed = await ctl(["alias", "list"]);
    expect(listed.stdout.split("\n")[0]).toMatch(/^NAME\s+INDEXES\s+VERSION\s+UPDATED AT$/);
    expect(listed.stdout).toMatch(/films\s+films-1\s+1/);
    const switched = await ctl([
      "alias",
      "switch",
      "films",
      "films-2",
      "--expected-version",
      "1",
      "--json",
    ]);
    expect(JSON.parse(switched.stdout)).toMatchObject({
      indexes: ["films-2"],
      version: 2,
      history: [{ indexes: ["films-1"], version: 1 }],
    });
    const stale = await ctl(["alias", "switch", "films", "films-1", "--expected-version", "1"]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("miroir_alias_conflict");
    const shown = await ctl(["alias", "get", "films"]);
    expect(shown.stdout).toContain("indexes: films-2");
    expect(shown.stdout).toContain("v1: films-1 until");
    const answer = await miroir.call("/indexes/films");
    expect(await answer.json()).toMatchObject({ uid: "films", primaryKey: "id" });
    expect((await ctl(["alias", "delete", "films"])).code).toBe(0);
    const missing = await ctl(["alias", "get", "films"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("miroir_alias_not_found");
    // Seven CLI processes, each starting oclif: generous on a loaded machine.
  }, 120_000);

  it("creates an alias of several indexes, shown as read-only", async () => {
    const created = await ctl(["alias", "create", "every-film", "films-1", "films-2"]);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(
      "indexes: films-1,films-2 (read-only: searches are federated)",
    );
  });
});
