import { ExitCode } from "./exit-codes.js";

/**
 * Why a command failed, said in one line, with the exit code it ends with. Every failure a
 * command expects (server errors, unreachable proxy, bad credentials file) is one of these.
 */
export class CliFailure extends Error {
  readonly exitCode: ExitCode;
  /** The server's error code (`invalid_api_key`, `task_not_found`, …) when it sent one. */
  readonly code: string | undefined;
  /** The HTTP status when the failure is a server answer. */
  readonly status: number | undefined;

  constructor(
    message: string,
    options: { exitCode?: ExitCode; code?: string | undefined; status?: number | undefined } = {},
  ) {
    super(message);
    this.name = "CliFailure";
    this.exitCode = options.exitCode ?? ExitCode.failed;
    this.code = options.code;
    this.status = options.status;
  }
}
