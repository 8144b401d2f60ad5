import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { Args, Flags } from "@oclif/core";
import { CliFailure } from "../cli-failure.js";
import type { AdminClient, ImportAnswer } from "../client/admin-client.js";
import { adminKeyFlags, apiKeyFlags, ClusterCommand } from "../cluster-command.js";
import { resolveApiKey } from "../connection/resolve-keys.js";
import { ExitCode } from "../exit-codes.js";
import { type MigrationProgress, migrateNode } from "../import/node-migration.js";
import { liveStatus, progressStream } from "../output/live-status.js";

const MB = 1024 * 1024;

export default class Import extends ClusterCommand {
  static override summary =
    "Import a Meilisearch dump, or a running Meilisearch node, into the cluster.";
  static override description =
    "With FILE (a `.dump`, versions 2 to 6) the dump is streamed to Miroir (POST /_miroir/dumps/import), which imports keys, indexes with their settings, then documents routed to their shards, and the command follows its progress until it ends. An import cut short (Miroir stopped, a node failing) is resumed with --resume: it continues from its checkpoint, without duplicating documents. With --from the command reads a running Meilisearch node (keys, indexes, settings, documents page by page) and writes it through Miroir's API; running it again is harmless. Tasks history is never imported. Exits 0 when the import succeeded, 1 when it failed.";
  static override aliases = ["dump:import"];
  static override examples = [
    "<%= config.bin %> <%= command.id %> movies.dump",
    "<%= config.bin %> <%= command.id %> movies.dump --resume",
    "<%= config.bin %> <%= command.id %> --from http://meili.internal:7700 --key $OLD_MASTER_KEY",
  ];
  static override args = {
    file: Args.string({ description: "The dump file (`.dump`).", required: false }),
  };
  static override flags = {
    ...adminKeyFlags,
    ...apiKeyFlags,
    resume: Flags.boolean({
      summary: "Resume the last import that did not succeed (or --import-id) from its checkpoint.",
      description: "Give the same dump file: its already imported documents are skipped.",
    }),
    "import-id": Flags.string({
      summary: "The import to resume (default: the most recent interrupted or failed one).",
      dependsOn: ["resume"],
    }),
    from: Flags.string({
      summary: "Copy this running Meilisearch node instead of a dump file (its URL).",
      exclusive: ["resume", "file"],
    }),
    key: Flags.string({
      summary: "The master key of the node named by --from.",
      env: "MIROIR_IMPORT_SOURCE_KEY",
      dependsOn: ["from"],
    }),
    interval: Flags.integer({
      summary: "Milliseconds between two progress reads.",
      default: 500,
      min: 50,
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Import);
    if (flags.from !== undefined) {
      await this.fromNode(flags);
      return;
    }
    if (args.file === undefined) {
      throw new CliFailure("Name a dump file, or a running node with --from.", {
        exitCode: ExitCode.usage,
      });
    }
    const size = await stat(args.file).then(
      (found) => found.size,
      () => {
        throw new CliFailure(`Cannot read ${args.file}.`, { exitCode: ExitCode.usage });
      },
    );
    const admin = await this.adminClient(flags);
    const resume = flags.resume ? (flags["import-id"] ?? (await lastUnfinished(admin))) : null;
    const live = liveStatus(progressStream(), { quiet: this.jsonOutput });
    live.update(`uploading ${(size / MB).toFixed(1)} MB`);
    let answer: ImportAnswer;
    try {
      const dump = Readable.toWeb(createReadStream(args.file)) as ReadableStream<Uint8Array>;
      answer = await admin.importDump(dump, resume);
      const deadline = Date.now() + 24 * 3_600_000;
      while (answer.status === "processing" && Date.now() < deadline) {
        live.update(progressLine(answer), fractionOf(answer));
        await new Promise((resolve) => setTimeout(resolve, flags.interval));
        answer = await admin.importStatus(answer.id);
      }
    } finally {
      live.stop();
    }
    this.printResult(answer, () => summary(answer));
    if (answer.status !== "succeeded") this.exit(ExitCode.failed);
  }

  private async fromNode(flags: {
    from?: string;
    key?: string;
    url: string;
    "api-key"?: string;
  }): Promise<void> {
    const from = (flags.from ?? "").replace(/\/+$/, "");
    if (!/^https?:\/\//.test(from)) {
      throw new CliFailure(`--from must be an http(s) URL, got "${from}".`, {
        exitCode: ExitCode.usage,
      });
    }
    const targetKey = await resolveApiKey({ flag: flags["api-key"], env: process.env });
    const live = liveStatus(progressStream(), { quiet: this.jsonOutput });
    let progress: MigrationProgress;
    try {
      progress = await migrateNode({
        source: {
          baseUrl: from,
          key: flags.key === undefined ? undefined : { value: flags.key, source: "flag" },
          keyName: "source node key",
          keyHint: "pass --key with the node's master key",
          timeoutMs: 60_000,
        },
        target: {
          baseUrl: flags.url,
          key: targetKey,
          keyName: "API key",
          keyHint: "pass --api-key or set MIROIR_MASTER_KEY",
          timeoutMs: 60_000,
        },
        onProgress: (step) =>
          live.update(
            `${step.phase}: ${step.documents}/${step.totalDocuments} documents, ${rate(step)}`,
            step.totalDocuments > 0 ? step.documents / step.totalDocuments : undefined,
          ),
      });
    } finally {
      live.stop();
    }
    const result = { source: from, ...progress };
    this.printResult(
      result,
      () =>
        `Copied ${progress.keys} keys, ${progress.indexes} indexes and ${progress.documents} documents from ${from} (${rate(progress)}).${progress.failedTasks.length > 0 ? ` Failed tasks: ${progress.failedTasks.join(", ")}.` : ""}`,
    );
    if (progress.failedTasks.length > 0) this.exit(ExitCode.failed);
  }
}

async function lastUnfinished(admin: AdminClient): Promise<string> {
  const { results } = await admin.imports();
  const found = results.find((each) => each.status === "interrupted" || each.status === "failed");
  if (found === undefined) {
    throw new CliFailure(
      "No interrupted or failed import to resume (GET /_miroir/dumps/import lists them).",
    );
  }
  return found.id;
}

function rate(progress: { documentsPerSecond: number; bytesPerSecond: number }): string {
  return `${progress.documentsPerSecond} documents/s, ${(progress.bytesPerSecond / MB).toFixed(2)} MB/s`;
}

function fractionOf(answer: ImportAnswer): number | undefined {
  return answer.totalDocuments !== null && answer.totalDocuments > 0
    ? answer.documents / answer.totalDocuments
    : undefined;
}

function progressLine(answer: ImportAnswer): string {
  const total = answer.totalDocuments === null ? "" : `/${answer.totalDocuments}`;
  return `import ${answer.id} ${answer.phase}: ${answer.documents}${total} documents, ${rate(answer)}`;
}

function summary(answer: ImportAnswer): string {
  const lines = [
    `Import ${answer.id} ${answer.status}: dump v${answer.dumpVersion ?? "?"}, ${answer.keys} keys, ${answer.indexes} indexes, ${answer.documents} documents (${(answer.documentBytes / MB).toFixed(1)} MB, ${rate(answer)}).`,
  ];
  if (answer.failedTasks.length > 0) {
    lines.push(`Batches refused by validation (Miroir tasks): ${answer.failedTasks.join(", ")}.`);
  }
  if (answer.error !== null) lines.push(`Error: ${answer.error}`);
  if (answer.status !== "succeeded") {
    lines.push(`Resume it with: miroir-ctl import FILE --resume --import-id ${answer.id}`);
  }
  return lines.join("\n");
}
