import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { RESULTS_PATH } from "../repo-paths.js";
import type { BenchmarkResults } from "../report/benchmark-results.js";
import { blocksOf, CAPACITY_PATH, writeCapacityDoc } from "./capacity-doc.js";
import { capacityBlocks } from "./capacity-examples.js";

/**
 * `pnpm --filter @miroir/bench capacity`: recomputes the worked examples, tables and checks
 * of docs/capacity.md from the cost curves in `results/latest.json` and the simulator, and
 * rewrites the document's generated blocks. `--check` only compares, and exits 1 when the
 * document says something else. `pnpm bench` rewrites them after every run.
 */
const { values } = parseArgs({ options: { check: { type: "boolean", default: false } } });
const results = JSON.parse(await readFile(RESULTS_PATH, "utf8")) as BenchmarkResults;
const blocks = capacityBlocks(results);
if (values.check) {
  const stated = blocksOf(await readFile(CAPACITY_PATH, "utf8"));
  const differing = [...blocks]
    .filter(([name, body]) => stated.get(name) !== body)
    .map(([name]) => name);
  if (differing.length > 0) {
    process.stderr.write(
      `docs/capacity.md differs from the recomputed blocks: ${differing.join(", ")}\n`,
    );
    process.exit(1);
  }
  process.stderr.write("docs/capacity.md matches the recomputed blocks\n");
} else {
  await writeCapacityDoc(blocks);
  process.stderr.write(`rewrote ${blocks.size} blocks of ${CAPACITY_PATH}\n`);
}
