import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { type Cluster, generatedDocument, startCluster, writeGeneratedDump } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freePort,
  type LaunchedProcess,
  launchMiroir,
  mainScript,
  writeLaunchConfig,
} from "../launched-process.js";
import { withTestAdminKey } from "../test-config.js";
import { allDocuments, type Fetch, type ImportAnswer, importEnded } from "./dump-compare.js";

const DOCUMENTS = 20_000;

/** The dump as a streamed request body (never read whole). */
function upload(file: string): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/gzip" },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: "half",
  } as RequestInit;
}

describe("a dump import whose Miroir is SIGKILLed midway, resumed by the next process", () => {
  let cluster: Cluster;
  let dir: string;
  let proxy: LaunchedProcess | undefined;
  let url: string;
  let configPath: string;
  let dump: string;
  const miroir: Fetch = (path, init) => fetch(`${url}${path}`, withTestAdminKey(path, init));

  async function startMiroir(config = configPath): Promise<void> {
    proxy = await launchMiroir(config, 60_000);
  }

  /** A configuration file over the cluster, on this test's SQLite file and port. */
  function writeConfig(name: string, dumpImport: Record<string, unknown>): Promise<string> {
    return writeLaunchConfig({
      dir,
      cluster,
      port: Number(new URL(url).port),
      name,
      config: {
        anti_entropy: { schedule: "every 1h" },
        dump_import: { ...dumpImport, spool_dir: join(dir, "spool") },
      },
    });
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "miroir-import-resume-"));
    dump = join(dir, "generated.dump");
    await writeGeneratedDump({ file: dump, documents: DOCUMENTS, indexUid: "generated" });
    cluster = await startCluster({ nodes: 3, rf: 2, shards: 6 });
    url = `http://127.0.0.1:${await freePort()}`;
    configPath = await writeConfig("miroir.yaml", { batch_size: 400, parallel_target_writes: 1 });
  }, 120_000);

  afterAll(async () => {
    await proxy?.stop();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("ends with every document once, as the dump holds it", async () => {
    expect(existsSync(mainScript), "build the proxy first: pnpm --filter @miroir/proxy build").toBe(
      true,
    );
    expect(statSync(dump).size).toBeGreaterThan(0);
    await startMiroir();
    const started = await miroir("/_miroir/dumps/import", upload(dump));
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as ImportAnswer;

    // SIGKILL once some batches are acknowledged, long before the last one.
    let seen: ImportAnswer | undefined;
    for (let attempt = 0; attempt < 2_000; attempt++) {
      seen = (await (await miroir(`/_miroir/dumps/import/${id}`)).json()) as ImportAnswer;
      if (seen.documents >= 2_000 || seen.status !== "processing") break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(seen?.status).toBe("processing");
    await proxy?.stop();

    await startMiroir();
    // The dead process's claim runs out: the import shows as interrupted, at its checkpoint.
    const interrupted = await importEnded(miroir, id, 60_000);
    expect(interrupted.status).toBe("interrupted");
    expect(interrupted.documents).toBeGreaterThan(0);
    expect(interrupted.documents).toBeLessThan(DOCUMENTS);
    expect(interrupted.checkpoint.offset).toBe(interrupted.documents);

    const resumed = await miroir(`/_miroir/dumps/import?resume=${id}`, upload(dump));
    expect(resumed.status).toBe(202);
    const ended = await importEnded(miroir, id, 240_000);
    expect(ended).toMatchObject({ status: "succeeded", runs: 2, failedTasks: [], error: null });
    // Acknowledged documents are counted once; the batch in flight at the kill, sent again.
    expect(ended.documents).toBe(DOCUMENTS);

    const stats = (await (await miroir("/indexes/generated/stats")).json()) as {
      numberOfDocuments: number;
    };
    expect(stats.numberOfDocuments).toBe(DOCUMENTS);
    const documents = await allDocuments(miroir, "generated", "id");
    expect(documents.size).toBe(DOCUMENTS);
    for (const n of [0, 1, 2_000, 2_001, DOCUMENTS - 1]) {
      expect(documents.get(String(n))).toEqual(generatedDocument(n));
    }
    for (let n = 0; n < DOCUMENTS; n++) {
      if (JSON.stringify(documents.get(String(n))) !== JSON.stringify(generatedDocument(n))) {
        throw new Error(`document ${n} differs: ${JSON.stringify(documents.get(String(n)))}`);
      }
    }
    // A finished import is not resumed again: the same answer, nothing written.
    const again = await miroir(`/_miroir/dumps/import?resume=${id}`, upload(dump));
    expect(again.status).toBe(202);
    expect(((await again.json()) as ImportAnswer).status).toBe("succeeded");
  }, 400_000);

  it("imports 100 000 documents with the proxy's peak resident memory under 256 MiB", async () => {
    await proxy?.stop("SIGTERM");
    const large = join(dir, "large.dump");
    await writeGeneratedDump({ file: large, documents: 100_000, indexUid: "large" });
    await startMiroir(await writeConfig("large.yaml", { batch_size: 5_000 }));
    const pid = proxy?.child.pid;
    const status = `/proc/${pid}/status`;
    expect(existsSync(status), "the peak is read from /proc (Linux)").toBe(true);
    const started = await miroir("/_miroir/dumps/import", upload(large));
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as ImportAnswer;
    const ended = await importEnded(miroir, id, 300_000);
    expect(ended).toMatchObject({ status: "succeeded", documents: 100_000, failedTasks: [] });
    const stats = (await (await miroir("/indexes/large/stats")).json()) as {
      numberOfDocuments: number;
    };
    expect(stats.numberOfDocuments).toBe(100_000);
    const peak = /VmHWM:\s+(\d+) kB/.exec(readFileSync(status, "utf8"));
    const peakMiB = Number(peak?.[1]) / 1024;
    expect(peakMiB).toBeGreaterThan(0);
    expect(peakMiB).toBeLessThan(256);
  }, 400_000);
});
