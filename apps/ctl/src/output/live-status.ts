/** Where live progress is drawn: a terminal gets redrawn lines, anything else plain lines. */
export interface StatusStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** A spinner or a progress bar on a terminal; one plain line per change elsewhere. */
export interface LiveStatus {
  /** Shows `text` (with a bar when `fraction` is a number in 0..1). */
  update(text: string, fraction?: number): void;
  /** Clears what was drawn; a plain stream is left as it is. */
  stop(): void;
}

/**
 * Where commands draw progress: the terminal when stdout is one; otherwise stderr, so that
 * a script reading stdout gets only the result while logs still show each change.
 */
export function progressStream(): StatusStream {
  return process.stdout.isTTY === true ? process.stdout : process.stderr;
}

const SPINNER_FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const BAR_WIDTH = 30;

/**
 * Draws on `stream` only when it is a TTY; on a pipe or a file it writes a line each time
 * the text changes (never the same line twice), so logs stay readable. `quiet` writes
 * nothing at all (used for `--json`, whose stdout must be one JSON document).
 */
export function liveStatus(stream: StatusStream, options: { quiet?: boolean } = {}): LiveStatus {
  if (options.quiet === true) return { update() {}, stop() {} };
  if (stream.isTTY !== true) {
    let last: string | undefined;
    return {
      update(text, fraction) {
        const line = fraction === undefined ? text : `${text} ${percent(fraction)}`;
        if (line === last) return;
        last = line;
        stream.write(`${line}\n`);
      },
      stop() {},
    };
  }
  let frame = 0;
  let drawn = false;
  return {
    update(text, fraction) {
      const lead =
        fraction === undefined
          ? SPINNER_FRAMES[frame++ % SPINNER_FRAMES.length]
          : `${progressBar(fraction)} ${percent(fraction)}`;
      stream.write(`\r\x1b[2K${lead} ${text}`);
      drawn = true;
    },
    stop() {
      if (drawn) stream.write("\r\x1b[2K");
      drawn = false;
    },
  };
}

/** `[#########---------------------]` for a fraction in 0..1 (clamped). */
export function progressBar(fraction: number): string {
  const filled = Math.round(clamp(fraction) * BAR_WIDTH);
  return `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`;
}

function percent(fraction: number): string {
  return `${Math.floor(clamp(fraction) * 100)}%`;
}

function clamp(fraction: number): number {
  return Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
}
