import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { deleteKeysUnder } from "./store-locations.js";

const run = promisify(execFile);
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const redisUrl = inject("redisUrl");
const PROCESSES = 3;
const TASKS_PER_PROCESS = 60;

/** Each child process opens its own store and creates tasks as fast as it can. */
const ALLOCATOR = `
import { openTaskStore } from "./src/index.js";
const store = await openTaskStore(JSON.parse(process.argv[2]));
const uids = [];
for (let i = 0; i < Number(process.argv[3]); i++) {
  uids.push((await store.tasks.create({ indexUid: "movies", type: "documentAdditionOrUpdate" })).uid);
}
await store.close();
process.stdout.write(JSON.stringify(uids));
`;

/** The package sources as plain JavaScript, inside the package so its dependencies resolve. */
function transpileSources(into: string): void {
  const sources = join(packageRoot, "src");
  const visit = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
        const output = ts.transpileModule(readFileSync(path, "utf8"), {
          compilerOptions: {
            module: ts.ModuleKind.ESNext,
            target: ts.ScriptTarget.ES2022,
            verbatimModuleSyntax: true,
          },
        }).outputText;
        const target = join(into, "src", relative(sources, path)).replace(/\.ts$/, ".js");
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, output);
      }
    }
  };
  visit(sources);
  writeFileSync(join(into, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(join(into, "allocate.js"), ALLOCATOR);
}

async function allocateFromProcesses(build: string, config: object): Promise<number[][]> {
  return Promise.all(
    Array.from({ length: PROCESSES }, async () => {
      const { stdout } = await run(
        process.execPath,
        [join(build, "allocate.js"), JSON.stringify(config), String(TASKS_PER_PROCESS)],
        { timeout: 30_000 },
      );
      return JSON.parse(stdout) as number[];
    }),
  );
}

function expectDistinctIncreasingUids(perProcess: number[][]): void {
  for (const uids of perProcess) {
    expect(uids.every((uid, i) => i === 0 || uid > (uids[i - 1] ?? -1))).toBe(true);
  }
  const all = perProcess.flat().sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: PROCESSES * TASKS_PER_PROCESS }, (_, i) => i));
}

describe("task uid allocation from several processes at once", () => {
  let build: string;
  let scratch: string;

  beforeAll(() => {
    mkdirSync(join(packageRoot, ".cache"), { recursive: true });
    build = mkdtempSync(join(packageRoot, ".cache", "multi-process-"));
    scratch = mkdtempSync(join(tmpdir(), "miroir-taskstore-mp-"));
    transpileSources(build);
  });
  afterAll(() => {
    rmSync(build, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it("gives every task a distinct uid on one SQLite file", async () => {
    const config = { backend: "sqlite", path: join(scratch, "tasks.db") };
    expectDistinctIncreasingUids(await allocateFromProcesses(build, config));
  }, 60_000);

  it.runIf(redisUrl !== "")(
    "gives every task a distinct uid on one Redis",
    async () => {
      const keyPrefix = `miroir-test:${randomUUID()}:`;
      try {
        const config = { backend: "redis", url: redisUrl, keyPrefix };
        expectDistinctIncreasingUids(await allocateFromProcesses(build, config));
      } finally {
        await deleteKeysUnder(redisUrl, keyPrefix);
      }
    },
    60_000,
  );
});
