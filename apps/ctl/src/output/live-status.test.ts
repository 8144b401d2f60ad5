import { describe, expect, it } from "vitest";
import { liveStatus, progressBar } from "./live-status.js";

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe("live progress", () => {
  it("redraws one line with a spinner on a terminal and clears it when stopped", () => {
    const tty = stream(true);
    const status = liveStatus(tty);
    status.update("task 3 enqueued");
    status.update("task 3 processing");
    status.stop();
    expect(tty.written).toEqual([
      "\r\x1b[2K⠋ task 3 enqueued",
      "\r\x1b[2K⠙ task 3 processing",
      "\r\x1b[2K",
    ]);
  });

  it("draws a progress bar with a percentage when the fraction is known", () => {
    const tty = stream(true);
    liveStatus(tty).update("moving shards", 0.5);
    expect(tty.written).toEqual([
      `\r\x1b[2K[${"#".repeat(15)}${"-".repeat(15)}] 50% moving shards`,
    ]);
  });

  it("writes plain lines, once per change, when the stream is not a terminal", () => {
    const pipe = stream(false);
    const status = liveStatus(pipe);
    status.update("task 3 enqueued");
    status.update("task 3 enqueued");
    status.update("moving shards", 0.25);
    status.stop();
    expect(pipe.written).toEqual(["task 3 enqueued\n", "moving shards 25%\n"]);
  });

  it("writes nothing when quiet (--json)", () => {
    const tty = stream(true);
    const status = liveStatus(tty, { quiet: true });
    status.update("x", 0.5);
    status.stop();
    expect(tty.written).toEqual([]);
  });

  it("clamps the bar to 0..100 %", () => {
    expect(progressBar(-1)).toBe(`[${"-".repeat(30)}]`);
    expect(progressBar(2)).toBe(`[${"#".repeat(30)}]`);
    expect(progressBar(Number.NaN)).toBe(`[${"-".repeat(30)}]`);
  });
});
