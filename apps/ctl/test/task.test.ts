import type { QueueHold } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPortUrl, makeHome, removeHome, runCtl } from "./ctl-process.js";
import { MASTER_KEY, type MiroirUnderTest, startMiroir } from "./miroir-under-test.js";

describe.concurrent("miroir-ctl task against a proxy over a testkit cluster", () => {
  let miroir: MiroirUnderTest;
  let home: string;
  let succeeded: number;
  let failed: number;
  const ctl = (...args: string[]) =>
    runCtl([...args, "--url", miroir.url], { home, env: { MIROIR_MASTER_KEY: MASTER_KEY } });

  beforeAll(async () => {
    home = await makeHome();
    miroir = await startMiroir();
    const created = (await (
      await miroir.call("/indexes", { body: { uid: "movies", primaryKey: "id" } })
    ).json()) as { taskUid: number };
    await miroir.waitTask(created.taskUid);
    const added = (await (
      await miroir.call("/indexes/movies/documents", {
        body: [
          { id: 1, title: "Alien" },
          { id: 2, title: "Heat" },
        ],
      })
    ).json()) as { taskUid: number };
    succeeded = added.taskUid;
    await miroir.waitTask(succeeded);
    const rejected = (await (
      await miroir.call("/indexes/movies/documents", { body: [{ id: "not a valid id!" }] })
    ).json()) as { taskUid: number };
    failed = rejected.taskUid;
    await miroir.waitTask(failed);
  });
  afterAll(async () => {
    await miroir?.stop();
    await removeHome(home);
  });

  it("lists tasks newest first as a table, with the page size and total", async () => {
    const run = await ctl("task", "list");
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^UID\s+INDEX\s+TYPE\s+STATUS\s+ENQUEUED AT\s+DURATION$/);
    expect(lines[1]).toMatch(
      new RegExp(`^\\s*${failed}\\s+movies\\s+documentAdditionOrUpdate\\s+failed\\s`),
    );
    expect(lines[2]).toMatch(
      new RegExp(`^\\s*${succeeded}\\s+movies\\s+documentAdditionOrUpdate\\s+succeeded\\s`),
    );
    expect(lines.at(-1)).toBe("3 of 3 tasks");
  });

  it("lists tasks as Meilisearch's page with --json, filtered by status", async () => {
    const run = await ctl("task", "list", "--status", "failed", "--json");
    expect(run.code).toBe(0);
    const page = JSON.parse(run.stdout);
    expect(page).toMatchObject({ total: 1, limit: 20, next: null });
    expect(page.results.map((task: { uid: number }) => task.uid)).toEqual([failed]);
  });

  it("pages with --limit and tells how to get the next page", async () => {
    const run = await ctl("task", "list", "--limit", "1");
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split("\n").at(-1)).toBe(
      `1 of 3 tasks; next page: --from ${failed - 1}`,
    );
  });

  it("shows one task with its details, and the node error of a failed one", async () => {
    const ok = await ctl("task", "show", String(succeeded));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^status:\s+succeeded$/m);
    expect(ok.stdout).toMatch(/^ {2}receivedDocuments: 2$/m);
    const bad = await ctl("task", "show", String(failed), "--json");
    expect(bad.code).toBe(0);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      uid: failed,
      status: "failed",
      error: { code: "invalid_document_id" },
    });
  });

  it("fails with the server's message and exit 1 for an unknown task", async () => {
    const run = await ctl("task", "show", "999999");
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("Error: Task `999999` not found. (task_not_found, HTTP 404)\n");
  });

  it("reports an error as JSON on stderr with --json", async () => {
    const run = await ctl("task", "show", "999999", "--json");
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(JSON.parse(run.stderr)).toEqual({
      error: {
        message: "Task `999999` not found. (task_not_found, HTTP 404)",
        code: "task_not_found",
        status: 404,
      },
    });
  });

  it("waits for a finished task and exits 0 when it succeeded", async () => {
    const run = await ctl("task", "wait", String(succeeded));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^uid: +\d+\n/);
    expect(run.stdout).toMatch(/^status:\s+succeeded$/m);
    expect(run.stderr).toBe(`task ${succeeded} succeeded\n`);
  });

  it("waits for a task that fails and exits 1 with the node's error", async () => {
    const run = await ctl("task", "wait", String(failed), "--json");
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ uid: failed, status: "failed" });
    expect(JSON.parse(run.stderr).error).toMatchObject({ code: "invalid_document_id" });
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("explains an unreachable proxy in one line and exits 1", async () => {
    const url = await closedPortUrl();
    const run = await runCtl(["task", "list", "--url", url], { home });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `Error: Cannot reach Miroir at ${url}: connection refused (ECONNREFUSED). Check --url and that the proxy is running.\n`,
    );
  });

  it("exits 2 on a bad flag, a missing argument, a non-number uid, a bad URL or an unknown command", async () => {
    const runs = await Promise.all([
      ctl("task", "list", "--no-such-flag"),
      runCtl(["task", "show"], { home }),
      runCtl(["task", "show", "abc"], { home }),
      runCtl(["task", "list", "--url", "not a url"], { home }),
      runCtl(["task", "list", "--url", "ftp://127.0.0.1"], { home }),
      runCtl(["task", "list", "--status", "done"], { home }),
      runCtl(["task", "frobnicate"], { home }),
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    expect(runs[0]?.stderr).toContain("Nonexistent flag: --no-such-flag");
    expect(runs[3]?.stderr).toContain("--url must be an http(s) URL");
  });
});

describe("miroir-ctl task wait against a task that stays unfinished", () => {
  let miroir: MiroirUnderTest;
  let home: string;
  let hold: QueueHold | undefined;

  beforeAll(async () => {
    home = await makeHome();
    miroir = await startMiroir({ nodes: 1 });
  });
  afterAll(async () => {
    await hold?.release();
    await miroir?.stop();
    await removeHome(home);
  });

  it("gives up after --timeout with exit 1 and says the task's last status", async () => {
    await miroir.call("/indexes", { body: { uid: "slow", primaryKey: "id" } });
    // The node's queue is held, so the write stays enqueued and the Miroir task stays
    // unfinished however often it is read.
    hold = await miroir.cluster.nodes[0]?.control?.holdQueue();
    const answer = (await (
      await miroir.call("/indexes/slow/documents", { body: [{ id: 1 }] })
    ).json()) as { taskUid: number };
    const started = Date.now();
    const run = await runCtl(
      [
        "task",
        "wait",
        String(answer.taskUid),
        "--timeout",
        "1",
        "--interval",
        "100",
        "--url",
        miroir.url,
      ],
      { home, env: { MIROIR_MASTER_KEY: MASTER_KEY } },
    );
    expect(run.code).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(run.stdout).toMatch(/^uid: +\d+\n/);
    expect(run.stderr).toContain(`task ${answer.taskUid} enqueued\n`);
    expect(run.stderr.split("\n").at(-2)).toBe(
      `Error: Task ${answer.taskUid} is still enqueued after 1s.`,
    );
  });
});
