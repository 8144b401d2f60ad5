import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, removeHome, runCtl } from "./ctl-process.js";
import { ADMIN_KEY, type MiroirUnderTest, startMiroir } from "./miroir-under-test.js";

describe("miroir-ctl reshard against a proxy over a testkit cluster", () => {
  let miroir: MiroirUnderTest;
  let home: string;
  const ctl = (args: string[]) =>
    runCtl([...args, "--url", miroir.url], { home, env: { MIROIR_ADMIN_API_KEY: ADMIN_KEY } });

  beforeAll(async () => {
    home = await makeHome();
    miroir = await startMiroir(
      { nodes: 2, shards: 4 },
      {
        // Slow enough for a cancel to come mid-copy; the old index goes at once.
        resharding: {
          retain_old_index_hours: 0,
          backfill_batch_size: 20,
          backfill_concurrency: 1,
          throttle_docs_per_sec: 100,
        },
      },
    );
    for (const uid of ["films", "songs"]) {
      const created = await miroir.call("/indexes", { body: { uid, primaryKey: "id" } });
      await miroir.waitTask(((await created.json()) as { taskUid: number }).taskUid);
      // songs: long enough to copy (20 s) that the cancel, a CLI process away, comes mid-copy.
      const count = uid === "songs" ? 2_000 : 300;
      const docs = Array.from({ length: count }, (_, id) => ({ id, title: `${uid} ${id}` }));
      const added = await miroir.call(`/indexes/${uid}/documents`, { body: docs });
      await miroir.waitTask(((await added.json()) as { taskUid: number }).taskUid);
    }
  }, 120_000);
  afterAll(async () => {
    await miroir?.stop();
    await removeHome(home);
  });

  it("reshards with progress, shows the status as a table and as JSON", async () => {
    const done = await ctl(["reshard", "films", "--shards", "8", "--interval", "100"]);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/Resharded films: 4 → 8 shards, 300 documents verified/);
    // Not a terminal: one progress line per change, on stderr, with the copy's figures.
    expect(done.stderr).toMatch(/films 4 → 8 shards: copying, \d+\/300 documents copied/);
    const table = await ctl(["reshard", "status"]);
    expect(table.stdout.split("\n")[0]).toMatch(
      /^INDEX\s+SHARDS\s+STATUS\s+PHASE\s+DOCUMENTS\s+DOCS\/S\s+NEW INDEX\s+ERROR$/,
    );
    expect(table.stdout).toMatch(/films\s+4 → 8\s+succeeded\s+done\s+300\/300/);
    const json = await ctl(["reshard", "status", "films", "--json"]);
    const status = JSON.parse(json.stdout) as { status: string; toShards: number; target: string };
    expect(status).toMatchObject({ status: "succeeded", toShards: 8 });
    const index = await miroir.call("/indexes/films/stats");
    expect(await index.json()).toMatchObject({ numberOfDocuments: 300 });
  }, 120_000);

  it("starts without waiting, cancels, and reports the cancel", async () => {
    const started = await ctl(["reshard", "songs", "--shards", "2", "--no-wait", "--json"]);
    expect(started.code, started.stderr).toBe(0);
    expect(JSON.parse(started.stdout)).toMatchObject({ name: "songs", toShards: 2 });
    const canceled = await ctl(["reshard", "cancel", "songs"]);
    expect(canceled.code, canceled.stderr).toBe(0);
    expect(canceled.stdout).toContain("Canceling the reshard of songs");
    let status: { code: number | null; stdout: string } = { code: 0, stdout: "" };
    for (let attempt = 0; attempt < 60 && status.code === 0; attempt++) {
      status = await ctl(["reshard", "status", "songs"]);
      if (status.code === 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status.code).toBe(1);
    expect(status.stdout).toContain("Reshard of songs canceled");
    const missing = await ctl(["reshard", "cancel", "songs"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("miroir_reshard_not_found");
    const index = await miroir.call("/indexes/songs/stats");
    expect(await index.json()).toMatchObject({ numberOfDocuments: 2_000 });
  }, 120_000);
});
