/** The exit codes scripts can rely on (documented in the README and in `--help`). */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  degraded: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
