import { Command, Flags, type Interfaces } from "@oclif/core";
import { CliFailure } from "./cli-failure.js";
import { ExitCode } from "./exit-codes.js";

type ParsedValues = { [name: string]: unknown };

/**
 * What every miroir-ctl command shares: `--json`, one way to print a result, and the
 * mapping of failures to exit codes (0 ok, 1 failed, 2 usage, 3 cluster degraded).
 * oclif itself exits 2 on a bad flag, a missing argument or an unknown command.
 */
export abstract class MiroirCommand extends Command {
  static override baseFlags = {
    json: Flags.boolean({
      summary: "Print the result as one JSON document (for scripts); errors go to stderr as JSON.",
      helpGroup: "OUTPUT",
    }),
  };

  /** Whether `--json` was given; known once the command has parsed its flags. */
  protected jsonOutput = false;

  protected override async parse<
    F extends ParsedValues,
    B extends ParsedValues,
    A extends ParsedValues,
  >(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const parsed = await super.parse(options, argv);
    this.jsonOutput = parsed.flags.json === true;
    return parsed;
  }

  /** Writes `data` as JSON with `--json`, else the human rendering. */
  protected printResult(data: unknown, human: () => string): void {
    this.log(this.jsonOutput ? JSON.stringify(data, null, 2) : human());
  }

  /** Ends the command with exit code 3 after its output, when the cluster is degraded. */
  protected exitDegraded(): never {
    this.exit(ExitCode.degraded);
  }

  override async catch(error: Error): Promise<unknown> {
    if (!(error instanceof CliFailure)) throw error;
    if (this.jsonOutput) {
      const body = {
        message: error.message,
        code: error.code ?? null,
        status: error.status ?? null,
      };
      process.stderr.write(`${JSON.stringify({ error: body })}\n`);
    } else {
      process.stderr.write(`Error: ${error.message}\n`);
    }
    this.exit(error.exitCode);
  }
}
