import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createProxyMetrics, type ProxyMetrics } from "../observability/index.js";
import { type Duty, type DutyCoordination, type DutyRun, startDuty } from "./background-duty.js";

async function sampleValue(metrics: ProxyMetrics, name: string, duty: string): Promise<number> {
  const line = (await metrics.exposition())
    .split("\n")
    .find((candidate) => candidate.startsWith(`${name}{duty="${duty}"}`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("a background duty", () => {
  let metrics: ProxyMetrics;
  const warnings: string[] = [];
  const logger = pino({ level: "warn" }, { write: (line: string) => warnings.push(line) });
  const runner = () => ({ logger, metrics });

  beforeEach(() => {
    vi.useFakeTimers();
    metrics = createProxyMetrics();
    warnings.length = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const duty = (run: Duty["run"], extra: Partial<Duty> = {}): Duty => ({
    name: "test-duty",
    intervalMs: 1_000,
    mode: "everywhere",
    run,
    ...extra,
  });

  it("runs one interval after each run ends, until stopped, and counts its runs", async () => {
    let runs = 0;
    const running = startDuty(
      runner(),
      duty(async () => void runs++),
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(runs).toBe(3);
    await running.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(3);
    expect(await sampleValue(metrics, "miroir_duty_runs_total", "test-duty")).toBe(3);
    expect(await sampleValue(metrics, "miroir_duty_duration_seconds_count", "test-duty")).toBe(3);
    expect(await sampleValue(metrics, "miroir_duty_failures_total", "test-duty")).toBe(0);
  });

  it("logs and counts a failed run, and keeps its schedule", async () => {
    let runs = 0;
    const running = startDuty(
      runner(),
      duty(async () => {
        runs++;
        throw new Error("store down");
      }),
    );
    await vi.advanceTimersByTimeAsync(2_000);
    await running.stop();
    expect(runs).toBe(2);
    expect(await sampleValue(metrics, "miroir_duty_failures_total", "test-duty")).toBe(2);
    expect(await sampleValue(metrics, "miroir_duty_runs_total", "test-duty")).toBe(2);
    expect(warnings.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ duty: "test-duty", msg: "background duty failed" }),
      expect.objectContaining({ duty: "test-duty", msg: "background duty failed" }),
    ]);
  });

  it("joins the run in progress when asked to run now, and never overlaps runs", async () => {
    let active = 0;
    let most = 0;
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const inRun = new Promise<void>((resolve) => {
      started = resolve;
    });
    const running = startDuty(
      runner(),
      duty(async () => {
        active++;
        most = Math.max(most, active);
        await new Promise<void>((resolve) => {
          release = resolve;
          started();
        });
        active--;
      }),
    );
    const first = running.runNow();
    await inRun;
    const second = running.runNow();
    expect(second).toBe(first);
    release();
    await first;
    await running.stop();
    expect(most).toBe(1);
  });

  it("shortens its pause by at most the jitter, never lengthens it", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.999);
    let runs = 0;
    const running = startDuty(
      runner(),
      duty(async () => void runs++, { jitter: 0.5 }),
    );
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toBe(1);
    await running.stop();
    vi.spyOn(Math, "random").mockReturnValue(0);
    const steady = startDuty(
      runner(),
      duty(async () => void runs++, { jitter: 0.5 }),
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(2);
    await steady.stop();
    vi.restoreAllMocks();
  });

  it("runs only what the coordination gives this process, and refuses a mode it cannot run", async () => {
    const seen: string[][] = [];
    let turn = 0;
    const coordination: DutyCoordination = {
      modes: ["everywhere", "partitioned"],
      // Another process takes every other run; this one owns the even items.
      claim: async () =>
        turn++ % 2 === 0
          ? { owns: (item: string) => Number(item) % 2 === 0, fenced: (act) => act() }
          : null,
    };
    const run = async (part: DutyRun) => {
      seen.push(["1", "2", "3", "4"].filter((item) => part.owns(item)));
    };
    const running = startDuty({ ...runner(), coordination }, duty(run, { mode: "partitioned" }));
    await running.runNow();
    await running.runNow();
    await running.runNow();
    await running.stop();
    expect(seen).toEqual([
      ["2", "4"],
      ["2", "4"],
    ]);
    expect(() => startDuty({ ...runner(), coordination }, duty(run, { mode: "leader" }))).toThrow(
      /mode leader/,
    );
    expect(() => startDuty(runner(), duty(run, { mode: "partitioned" }))).toThrow(
      /mode partitioned/,
    );
  });
});
