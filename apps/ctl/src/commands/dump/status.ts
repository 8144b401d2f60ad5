import { Args } from "@oclif/core";
import type { ImportAnswer } from "../../client/admin-client.js";
import { adminKeyFlags, ClusterCommand } from "../../cluster-command.js";
import { ExitCode } from "../../exit-codes.js";
import { orDash, renderTable } from "../../output/table.js";

export default class DumpStatus extends ClusterCommand {
  static override summary = "Show dump imports: every one, newest first, or one by id.";
  static override description =
    "Reads GET /_miroir/dumps/import (or /_miroir/dumps/import/{id}): status (processing, succeeded, failed, interrupted), documents imported of the dump's total, rate and checkpoint. Exits 1 when the import named failed or was interrupted (resume it with `miroir-ctl import FILE --resume`).";
  static override examples = [
    "<%= config.bin %> <%= command.id %>",
    "<%= config.bin %> <%= command.id %> 5274fe87-1c4b-4295-9da3-862b1d0b39e7 --json",
  ];
  static override args = {
    id: Args.string({ description: "An import's id.", required: false }),
  };
  static override flags = { ...adminKeyFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DumpStatus);
    const admin = await this.adminClient(flags);
    if (args.id !== undefined) {
      const answer = await admin.importStatus(args.id);
      this.printResult(answer, () => table([answer]));
      if (answer.status === "failed" || answer.status === "interrupted") {
        this.exit(ExitCode.failed);
      }
      return;
    }
    const { results } = await admin.imports();
    this.printResult({ results }, () =>
      results.length === 0 ? "No dump import." : table(results),
    );
  }
}

function table(imports: readonly ImportAnswer[]): string {
  return renderTable(imports, [
    { heading: "ID", cell: (each) => each.id },
    { heading: "STATUS", cell: (each) => each.status },
    { heading: "PHASE", cell: (each) => each.phase },
    {
      heading: "DOCUMENTS",
      cell: (each) =>
        each.totalDocuments === null
          ? String(each.documents)
          : `${each.documents}/${each.totalDocuments}`,
      align: "right",
    },
    { heading: "DOCUMENTS/S", cell: (each) => String(each.documentsPerSecond), align: "right" },
    { heading: "STARTED", cell: (each) => each.startedAt },
    { heading: "ERROR", cell: (each) => orDash(each.error) },
  ]);
}
