import { Args } from "@oclif/core";
import { CliFailure } from "./cli-failure.js";
import { ExitCode } from "./exit-codes.js";

/**
 * A task uid argument. oclif's own integer argument fails with exit 1; a malformed
 * argument is a usage error, so this one fails with exit 2.
 */
export const taskUidArg = Args.custom<number>({
  description: "The task uid.",
  required: true,
  parse: async (input) => {
    if (!/^\d+$/.test(input) || !Number.isSafeInteger(Number(input))) {
      throw new CliFailure(`A task uid is a non-negative integer, got "${input}".`, {
        exitCode: ExitCode.usage,
      });
    }
    return Number(input);
  },
});
