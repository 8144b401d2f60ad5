import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { DumpPasses, dumpEntries, entryLines, scanDump } from "./dump-reader.js";

const samples = fileURLToPath(new URL("../../../../../shared/meili-data/dumps/", import.meta.url));
const sample = (name: string) => join(samples, name);
const work = mkdtempSync(join(tmpdir(), "dump-reader-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function linesOf(file: string, path: string): Promise<string[]> {
  const passes = new DumpPasses(file);
  const entry = await passes.find(path);
  const lines: string[] = [];
  if (entry !== null) for await (const line of entryLines(entry.body)) lines.push(line);
  await passes.close();
  return lines;
}

describe("tar entries", () => {
  it("gives back every file of an archive made by tar, long names and sizes included", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.record({
            name: fc.stringMatching(/^[a-z]{1,60}$/),
            depth: fc.integer({ min: 0, max: 3 }),
            size: fc.oneof(
              fc.integer({ min: 0, max: 2048 }),
              fc.constant(512),
              fc.integer({ min: 0, max: 200_000 }),
            ),
          }),
          { selector: (file) => file.name, minLength: 1, maxLength: 6 },
        ),
        async (files) => {
          const root = mkdtempSync(join(work, "case-"));
          const expected = new Map<string, Buffer>();
          for (const file of files) {
            const dir = Array.from(
              { length: file.depth },
              (_, i) => `${file.name}-dir-${i}-${"d".repeat(40)}`,
            ).join("/");
            const path = dir === "" ? file.name : `${dir}/${file.name}`;
            mkdirSync(join(root, "src", dir), { recursive: true });
            const bytes = Buffer.alloc(file.size, file.name.charCodeAt(0));
            writeFileSync(join(root, "src", path), bytes);
            expected.set(path, bytes);
          }
          const archive = join(root, "a.tgz");
          execFileSync("tar", ["czf", archive, "-C", join(root, "src"), "."]);
          const seen = new Map<string, Buffer>();
          for await (const entry of dumpEntries(archive)) {
            if (entry.type !== "file") continue;
            const chunks: Buffer[] = [];
            for await (const chunk of entry.body) chunks.push(Buffer.from(chunk));
            seen.set(entry.path, Buffer.concat(chunks));
          }
          rmSync(root, { recursive: true, force: true });
          expect([...seen.keys()].sort()).toEqual([...expected.keys()].sort());
          for (const [path, bytes] of expected) expect(seen.get(path)?.equals(bytes)).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("skips an entry whose body is left unread", async () => {
    const root = mkdtempSync(join(work, "skip-"));
    mkdirSync(join(root, "src"));
    writeFileSync(join(root, "src", "a"), "x".repeat(10_000));
    writeFileSync(join(root, "src", "b"), "second");
    execFileSync("tar", ["czf", join(root, "a.tgz"), "-C", join(root, "src"), "a", "b"]);
    expect(await linesOf(join(root, "a.tgz"), "b")).toEqual(["second"]);
  });

  it("refuses what is not a gzipped tar", async () => {
    const file = join(work, "not.dump");
    writeFileSync(file, "plain text, not an archive");
    await expect(scanDump(file)).rejects.toThrow(/cannot be read/);
  });
});

describe.skipIf(!existsSync(sample("v2.dump")))("Meilisearch's sample dumps", () => {
  it.each(["v2", "v3", "v4", "v5"])(
    "%s: indexes by uid, legacy settings in today's shape, pending additions last",
    async (name) => {
      const plan = await scanDump(sample(`${name}.dump`));
      expect(plan.version).toBe(Number(name.slice(1)));
      const uids = plan.indexes.map((index) => index.uid).sort();
      expect(uids).toEqual(
        name === "v4" || name === "v5"
          ? ["dnd_spells", "movies", "products"]
          : ["dnd_spells", "movies", "movies_2", "products"],
      );
      const movies = plan.indexes.find((index) => index.uid === "movies");
      expect(movies?.primaryKey).toBe("id");
      expect(movies?.settings.rankingRules).toContain("release_date:asc");
      const pending = plan.sources.filter((source) => source.pending);
      expect(pending.map((source) => source.indexUid)).toEqual(["movies_2"]);
      expect(plan.sources.at(-1)?.pending).toBe(true);
      const counts = new Map<string, number>();
      for (const source of plan.sources) {
        const lines =
          source.format === "json" ? [] : await linesOf(sample(`${name}.dump`), source.path);
        counts.set(source.indexUid, (counts.get(source.indexUid) ?? 0) + lines.length);
      }
      expect(counts.get("dnd_spells")).toBe(10);
      expect(counts.get("products")).toBe(10);
      if (name !== "v2") expect(counts.get("movies_2")).toBe(200);
    },
  );

  it("v6: uids from each index's metadata, keys with their uid, the enqueued addition", async () => {
    const plan = await scanDump(sample("v6_v1.13.0_batches_and_enqueued_tasks.dump"));
    expect(plan.version).toBe(6);
    expect(plan.indexes).toEqual([expect.objectContaining({ uid: "kefir", primaryKey: "id" })]);
    expect(plan.keys.map((key) => key.uid).sort()).toEqual([
      "2004d2a6-2f86-431c-ba19-35a401b1812c",
      "42092c55-5496-4579-8a51-768ad7866998",
    ]);
    expect(plan.sources.map((source) => [source.path, source.pending])).toEqual([
      ["indexes/kefir/documents.jsonl", false],
      ["tasks/update_files/2.jsonl", true],
    ]);
  });

  it("v6 made on macOS: its AppleDouble files are not taken for the dump's own", async () => {
    const plan = await scanDump(sample("v6-with-vectors.dump"));
    expect(plan.indexes.map((index) => index.uid).sort()).toEqual(["novector", "vector"]);
    expect(plan.sources.map((source) => source.path).sort()).toEqual([
      "indexes/novector/documents.jsonl",
      "indexes/vector/documents.jsonl",
    ]);
    expect(
      await linesOf(sample("v6-with-vectors.dump"), "indexes/vector/documents.jsonl"),
    ).toHaveLength(4);
  });
});
