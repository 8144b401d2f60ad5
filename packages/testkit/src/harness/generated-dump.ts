import { execFile } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

export interface GeneratedDumpOptions {
  /** Where the `.dump` file is written. */
  readonly file: string;
  readonly documents: number;
  /** The index's uid (default `generated`). */
  readonly indexUid?: string;
}

/** The document number `n` of a generated dump: the same on every call. */
export function generatedDocument(n: number): Record<string, unknown> {
  return {
    id: n,
    title: `document ${n}`,
    body: `text of document ${n} with words ${n % 97} and ${n % 89}`,
    group: n % 10,
  };
}

/**
 * Writes a Meilisearch dump (version 6) of one index holding `documents` generated
 * documents (`generatedDocument`), as Meilisearch lays it out; written as a stream, then
 * archived by the system's `tar`. No key, no task.
 */
export async function writeGeneratedDump(options: GeneratedDumpOptions): Promise<void> {
  const uid = options.indexUid ?? "generated";
  const root = await mkdtemp(join(dirname(options.file), ".generated-dump-"));
  try {
    const index = join(root, "indexes", uid);
    await mkdir(index, { recursive: true });
    await mkdir(join(root, "tasks", "update_files"), { recursive: true });
    const at = new Date(0).toISOString();
    await writeFile(
      join(root, "metadata.json"),
      JSON.stringify({ dumpVersion: "V6", dbVersion: "1.13.0", dumpDate: at }),
    );
    await writeFile(join(root, "keys.jsonl"), "");
    await writeFile(join(root, "tasks", "queue.jsonl"), "");
    await writeFile(
      join(index, "metadata.json"),
      JSON.stringify({ uid, primaryKey: "id", createdAt: at, updatedAt: at }),
    );
    await writeFile(
      join(index, "settings.json"),
      JSON.stringify({ filterableAttributes: ["group"], searchableAttributes: ["title", "body"] }),
    );
    const documents = createWriteStream(join(index, "documents.jsonl"));
    for (let n = 0; n < options.documents; n++) {
      if (!documents.write(`${JSON.stringify(generatedDocument(n))}\n`)) {
        await once(documents, "drain");
      }
    }
    documents.end();
    await once(documents, "finish");
    await promisify(execFile)("tar", ["czf", options.file, "-C", root, "."]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
