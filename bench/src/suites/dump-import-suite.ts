import { createReadStream, existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { startCluster, startMeiliProcess, writeGeneratedDump } from "@miroir/testkit";
import { startMiroirProcess } from "../processes/miroir-process.js";

/** A generated dump imported through Miroir, next to one real node importing it. */
export interface DumpImportRun {
  readonly upstream: "emulated" | "real";
  readonly documents: number;
  readonly dumpBytes: number;
  /** Bytes of the documents (uncompressed NDJSON). */
  readonly documentBytes: number;
  readonly nodes: number;
  readonly batchSize: number;
  /** Miroir: upload to import succeeded (every batch indexed by its nodes). */
  readonly miroir: {
    readonly seconds: number;
    readonly documentsPerSecond: number;
    /** Dump file megabytes per second. */
    readonly megabytesPerSecond: number;
    /** The proxy process's peak resident memory (VmHWM), MiB. */
    readonly peakRssMiB: number | null;
  };
  /** One real Meilisearch started with `--import-dump`, until it answers /health; null without a binary. */
  readonly singleNode: {
    readonly seconds: number;
    readonly documentsPerSecond: number;
    readonly megabytesPerSecond: number;
  } | null;
  readonly durationSeconds: number;
}

const ADMIN_KEY = "bench-dump-admin-key";
const MB = 1024 * 1024;

function referenceBinary(): string | undefined {
  const named = process.env.MEILI_BIN?.trim();
  if (named !== undefined && named !== "") return named;
  const shared = fileURLToPath(
    new URL("../../../../shared/meilisearch/meilisearch", import.meta.url),
  );
  return existsSync(shared) ? shared : undefined;
}

async function peakRss(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match === null ? null : Number(match[1]) / 1024;
  } catch {
    return null;
  }
}

/**
 * A generated dump (version 6, one index) of 1 000 000 documents (100 000 with `--quick`)
 * imported into 3 nodes through Miroir's `POST /_miroir/dumps/import`, Miroir in its own
 * process with batches of 10 000 documents (real nodes pay a fixed cost per task: small
 * batches measure that cost, not the import); its peak RSS read from /proc. Beside
 * it, in the same run, one real Meilisearch started with `--import-dump` of the same file.
 */
export async function runDumpImportBench(options: {
  readonly quick: boolean;
  readonly real: boolean;
  readonly log: (line: string) => void;
}): Promise<DumpImportRun> {
  const started = performance.now();
  const documents = options.quick ? 100_000 : 1_000_000;
  const dir = await mkdtemp(join(tmpdir(), "miroir-bench-dump-"));
  const file = join(dir, "generated.dump");
  const nodes = 3;
  const batchSize = 10_000;
  try {
    await writeGeneratedDump({ file, documents, indexUid: "generated" });
    const dumpBytes = (await stat(file)).size;
    options.log(`dump of ${documents} documents: ${(dumpBytes / MB).toFixed(1)} MB`);

    const cluster = await startCluster({ nodes, rf: 1, shards: 6, real: options.real });
    let miroirRun: DumpImportRun["miroir"];
    let documentBytes = 0;
    try {
      const miroir = await startMiroirProcess({
        nodes: cluster.nodes.map((node) => ({ id: node.id, url: node.address })),
        replicationFactor: 1,
        nodeMasterKey: String(cluster.config.node_master_key),
        shards: 6,
        adminKey: ADMIN_KEY,
        extraConfig: { dump_import: { batch_size: batchSize, spool_dir: join(dir, "spool") } },
      });
      try {
        const headers = { "x-admin-key": ADMIN_KEY };
        const importStart = performance.now();
        const answer = await fetch(`${miroir.url}/_miroir/dumps/import`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/gzip" },
          body: Readable.toWeb(createReadStream(file)) as ReadableStream,
          duplex: "half",
        } as RequestInit);
        if (answer.status !== 202) throw new Error(`import refused: ${await answer.text()}`);
        const { id } = (await answer.json()) as { id: string };
        let status: { status: string; documents: number; documentBytes: number; error: unknown };
        const deadline = Date.now() + 900_000;
        for (;;) {
          status = (await (
            await fetch(`${miroir.url}/_miroir/dumps/import/${id}`, { headers })
          ).json()) as typeof status;
          if (status.status !== "processing" || Date.now() > deadline) break;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        const seconds = (performance.now() - importStart) / 1000;
        if (status.status !== "succeeded" || status.documents !== documents) {
          throw new Error(`the import did not succeed: ${JSON.stringify(status)}`);
        }
        documentBytes = status.documentBytes;
        miroirRun = {
          seconds,
          documentsPerSecond: documents / seconds,
          megabytesPerSecond: dumpBytes / MB / seconds,
          peakRssMiB: await peakRss(miroir.pid),
        };
        options.log(
          `Miroir: ${seconds.toFixed(1)} s, ${(documents / seconds).toFixed(0)} documents/s, peak RSS ${miroirRun.peakRssMiB?.toFixed(0)} MiB`,
        );
      } finally {
        await miroir.stop();
      }
    } finally {
      await cluster.stop();
    }

    let singleNode: DumpImportRun["singleNode"] = null;
    const bin = referenceBinary();
    if (bin !== undefined) {
      const nodeStart = performance.now();
      const node = await startMeiliProcess({
        bin,
        masterKey: "bench-dump-master-key-0123456789",
        importDump: file,
        startTimeoutMs: 900_000,
      });
      const seconds = (performance.now() - nodeStart) / 1000;
      await node.stop();
      singleNode = {
        seconds,
        documentsPerSecond: documents / seconds,
        megabytesPerSecond: dumpBytes / MB / seconds,
      };
      options.log(`one node --import-dump: ${seconds.toFixed(1)} s`);
    }
    return {
      upstream: options.real ? "real" : "emulated",
      documents,
      dumpBytes,
      documentBytes,
      nodes,
      batchSize,
      miroir: miroirRun,
      singleNode,
      durationSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
