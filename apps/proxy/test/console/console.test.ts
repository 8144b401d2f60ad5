import { join } from "node:path";
import { shardOf } from "@miroir/router";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations, sidewaysOverflow } from "./accessibility.js";
import {
  ADMIN_KEY,
  type ConsoleCluster,
  HEALTH,
  SCREENSHOTS,
  startConsoleCluster,
  waitTask,
  watchCspViolations,
} from "./console-cluster.js";

const GENRES = ["sci-fi", "drama", "comedy"];
const MOVIES = Array.from({ length: 30 }, (_, i) => ({
  id: i + 1,
  title: i === 6 ? "Dune" : i === 7 ? "Dune Messiah" : `Film number ${i + 1}`,
  genre: GENRES[i % 3],
  year: 1960 + i,
}));
const SHARDS = 8;
/** A bound on every wait for the page, far above what it takes on an idle machine. */
const UI_WAIT_MS = 20_000;

interface ShardsAnswer {
  shards: { shard: number; groups: { group: number; nodes: string[]; targetNodes: string[] }[] }[];
}

// Each test waits on a real browser and real nodes: bounded, but well past vitest's default.
describe("the admin console and search preview in headless Chromium", { timeout: 60_000 }, () => {
  let env: ConsoleCluster;
  let page: Page;
  let cspViolations: string[];
  let searchKey: string;

  const goto = async (path: string) => {
    await page.getByRole("link", { name: path, exact: true }).click();
    await page.locator("h1").first().waitFor();
  };
  const enqueue = async (path: string, body: unknown, method = "POST") => {
    const answer = await env.api(path, { method, body: JSON.stringify(body) });
    expect(answer.status, await answer.clone().text()).toBe(202);
    return ((await answer.json()) as { taskUid: number }).taskUid;
  };

  beforeAll(async () => {
    env = await startConsoleCluster();
    for (const taskUid of [await enqueue("/indexes", { uid: "movies", primaryKey: "id" })]) {
      expect((await waitTask(env, taskUid)).status).toBe("succeeded");
    }
    const settings = await enqueue(
      "/indexes/movies/settings",
      { filterableAttributes: ["genre"], sortableAttributes: ["year"] },
      "PATCH",
    );
    expect((await waitTask(env, settings)).status).toBe("succeeded");
    expect((await waitTask(env, await enqueue("/indexes/movies/documents", MOVIES))).status).toBe(
      "succeeded",
    );
    const key = await env.api("/keys", {
      method: "POST",
      body: JSON.stringify({ actions: ["search"], indexes: ["*"], expiresAt: null }),
    });
    expect(key.status).toBe(201);
    searchKey = ((await key.json()) as { key: string }).key;
    page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
    cspViolations = watchCspViolations(page);
  }, 180_000);

  afterAll(async () => {
    await env?.stop();
  }, 60_000);

  it("asks for the admin key once, keeps it out of the URL, and shows the fleet", async () => {
    await page.goto(`${env.url}/_miroir/ui`);
    await page.getByLabel("Admin key").fill(ADMIN_KEY);
    await page.getByRole("button", { name: "Use this key" }).click();
    for (const id of ["node-0", "node-1", "node-2"]) {
      await page
        .locator(`[data-node="${id}"] [data-field="health"]`)
        .filter({ hasText: "healthy" })
        .waitFor({ timeout: UI_WAIT_MS });
    }
    expect(page.url()).not.toContain(ADMIN_KEY);
    expect(await page.evaluate('sessionStorage.getItem("miroir.console.adminKey")')).toBe(
      ADMIN_KEY,
    );
    await goto("Shards");
    await page.locator("table.shard-map").waitFor({ timeout: UI_WAIT_MS });
    expect(await page.getByLabel("Admin key").count()).toBe(0);
  });

  it("the search preview finds a document, highlights the match and narrows by a facet click", async () => {
    await goto("Search preview");
    await page.getByLabel("Search key").fill(searchKey);
    await page.getByRole("button", { name: "Use this key" }).click();
    await page.getByLabel("Search", { exact: true }).fill("dune");
    const total = page.locator('[data-field="total-hits"]');
    await total.filter({ hasText: /^2 result/ }).waitFor({ timeout: UI_WAIT_MS });
    const titles = await page.locator(".hit h3").allInnerTexts();
    expect(titles.sort()).toEqual(["Dune", "Dune Messiah"]);
    expect(await page.locator(".hit h3 mark").first().textContent()).toBe("Dune");

    await page.getByLabel("Search", { exact: true }).fill("");
    await total.filter({ hasText: /^30 result/ }).waitFor({ timeout: UI_WAIT_MS });
    await page.getByLabel("sci-fi (10)").check();
    await total.filter({ hasText: /^10 result/ }).waitFor({ timeout: UI_WAIT_MS });
    const genres = await page
      .locator('.hit .facts div:has(dt:text-is("genre")) dd')
      .allInnerTexts();
    expect(new Set(genres.map((text) => text.trim()))).toEqual(new Set(["sci-fi"]));

    await page.getByLabel("Sort").selectOption("year:desc");
    await page.locator(".hit h3").first().filter({ hasText: "Film number 28" }).waitFor({
      timeout: UI_WAIT_MS,
    });
    await page.getByRole("button", { name: "Next page" }).waitFor();
    expect(await page.getByRole("button", { name: "Next page" }).isDisabled()).toBe(true);
  });

  it("the shard map shows exactly the holders and targets of /_miroir/shards", async () => {
    await goto("Shards");
    await page
      .locator("table.shard-map tbody tr")
      .nth(SHARDS - 1)
      .waitFor({ timeout: UI_WAIT_MS });
    const api = (await (await env.admin("/_miroir/shards")).json()) as ShardsAnswer;
    const shown = await page.$$eval("table.shard-map tbody tr", (rows) =>
      rows.map((row) => ({
        shard: Number(row.getAttribute("data-shard")),
        holds: [...row.querySelectorAll('td[data-holds="true"]')].map((cell) =>
          cell.getAttribute("data-node"),
        ),
        targets: [...row.querySelectorAll('td[data-target="true"]')].map((cell) =>
          cell.getAttribute("data-node"),
        ),
      })),
    );
    const expected = api.shards.map(({ shard, groups }) => ({
      shard,
      holds: groups.flatMap((group) => group.nodes),
      targets: groups.flatMap((group) => group.targetNodes),
    }));
    const sorted = (rows: typeof expected) =>
      rows.map((row) => ({
        ...row,
        holds: [...row.holds].sort(),
        targets: [...row.targets].sort(),
      }));
    expect(sorted(shown as typeof expected)).toEqual(sorted(expected));
    expect(shown).toHaveLength(SHARDS);
  });

  it("the indexes page counts every document once, shard by shard", async () => {
    await goto("Indexes");
    const card = page.locator('[data-index="movies"]');
    await card.locator('[data-field="documents"]').filter({ hasText: "30" }).waitFor({
      timeout: UI_WAIT_MS,
    });
    await card.locator("summary").click();
    const counts = (await card.locator("tbody td").allInnerTexts()).map(Number);
    const expected = Array.from(
      { length: SHARDS },
      (_, shard) => MOVIES.filter((movie) => shardOf(movie.id, SHARDS) === shard).length,
    );
    expect(counts).toEqual(expected);
  });

  it("the task list shows a new write's task finishing", async () => {
    await goto("Tasks");
    await page.locator("table.tasks tbody tr").first().waitFor({ timeout: UI_WAIT_MS });
    const taskUid = await enqueue("/indexes/movies/documents", [
      { id: 100, title: "A late addition", genre: "drama", year: 2001 },
    ]);
    const row = page.locator(`[data-task="${taskUid}"]`);
    await row.locator('[data-field="status"]').filter({ hasText: "succeeded" }).waitFor({
      timeout: UI_WAIT_MS,
    });
    await row.getByRole("button", { name: String(taskUid) }).click();
    const details = page.locator(`[data-task-details="${taskUid}"]`);
    await details.getByText("documentAdditionOrUpdate").first().waitFor({ timeout: UI_WAIT_MS });
    const nodes = await details.locator("tbody th").allInnerTexts();
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) expect(["node-0", "node-1", "node-2"]).toContain(node);
    await page.getByLabel("Status").selectOption("failed");
    await page.locator("table.tasks").waitFor();
    await page.getByText(/^0 task\(s\) match/).waitFor({ timeout: UI_WAIT_MS });
  });

  it("every page passes axe-core with no serious violation at 1280 and 390 px, and never scrolls sideways", async () => {
    const pages = ["Fleet", "Shards", "Indexes", "Tasks", "Operations", "Search preview"];
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const name of pages) {
        await goto(name);
        await page.waitForLoadState("networkidle").catch(() => undefined);
        await page.locator("main :is(table, section, .progress, ol.hits)").first().waitFor({
          timeout: UI_WAIT_MS,
        });
        expect(await seriousViolations(page), `${name} at ${width} px`).toEqual([]);
        expect(await sidewaysOverflow(page), `${name} at ${width} px`).toEqual([]);
        const file = `${name.toLowerCase().replace(/\W+/g, "-")}-${width}.png`;
        await page.screenshot({ path: join(SCREENSHOTS, file), fullPage: true });
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 180_000);

  it("shows a stopped node as unreachable within a few health intervals", async () => {
    await goto("Fleet");
    const health = page.locator('[data-node="node-2"] [data-field="health"]');
    await health.filter({ hasText: "healthy" }).waitFor({ timeout: UI_WAIT_MS });
    const stoppedAt = Date.now();
    await env.victim.stop();
    await health.filter({ hasText: "unreachable" }).waitFor({ timeout: UI_WAIT_MS });
    // Reported, not asserted: timings on a shared machine are noise.
    console.info(
      `console: node-2 shown unreachable ${Date.now() - stoppedAt} ms after it stopped ` +
        `(health: every ${HEALTH.interval_ms} ms, unreachable after ${HEALTH.unhealthy_threshold} failed probes; the page reads the topology every second)`,
    );
    await page.screenshot({
      path: join(SCREENSHOTS, "fleet-node-unreachable-1280.png"),
      fullPage: true,
    });
  });

  it("drains a node only once the operator confirms", async () => {
    const row = page.locator('[data-node="node-2"]');
    await row.getByRole("button", { name: "Drain node-2" }).click();
    const dialog = page.getByRole("dialog", { name: "Drain node-2?" });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    const state = async () =>
      (
        (await (await env.admin("/_miroir/topology")).json()) as {
          nodes: { id: string; state: string }[];
        }
      ).nodes.find((node) => node.id === "node-2")?.state;
    expect(await state()).toBe("active");
    await row.getByRole("button", { name: "Drain node-2" }).click();
    await dialog.getByRole("button", { name: "Drain", exact: true }).click();
    await row.locator('[data-field="state"]').filter({ hasText: "draining" }).waitFor({
      timeout: UI_WAIT_MS,
    });
    expect(await state()).toBe("draining");
  });

  it("ran everything under its Content-Security-Policy without a violation", () => {
    expect(cspViolations).toEqual([]);
  });
});
