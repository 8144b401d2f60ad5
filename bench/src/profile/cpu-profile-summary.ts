import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** One function's share of a CPU profile, by self time (time on top of the stack). */
export interface ProfiledFunction {
  readonly functionName: string;
  /** `file:line`, shortened to the package or the repository path. */
  readonly location: string;
  readonly selfMs: number;
  /** Percent of the busy (non-idle) time. */
  readonly percent: number;
}

export interface ProfileSummary {
  readonly subject: string;
  readonly busyMs: number;
  /** The span the samples cover: the measured window, or the whole profile. */
  readonly spanMs: number;
  /** Whether only the measured window was counted (else the whole process life). */
  readonly windowed: boolean;
  readonly top: readonly ProfiledFunction[];
  /** Self time per area (a package, a Miroir folder, Node's internals, GC), largest first. */
  readonly areas: readonly { readonly area: string; readonly percent: number }[];
}

/** A span of the monotonic clock, in µs, as `process.hrtime` and V8's profiler read it. */
export interface ClockWindow {
  readonly fromUs: number;
  readonly toUs: number;
}

export function monotonicMicroseconds(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The sample indexes inside `window`; every sample when none is (or no window is given). */
function samplesIn(profile: CpuProfile, window: ClockWindow | undefined) {
  const all = profile.samples.map((_, i) => i);
  if (window === undefined) return { indexes: all, windowed: false };
  const inside: number[] = [];
  let at = profile.startTime;
  profile.samples.forEach((_, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= window.fromUs && at <= window.toUs) inside.push(i);
  });
  return inside.length > 0
    ? { indexes: inside, windowed: true }
    : { indexes: all, windowed: false };
}

/** Where a function lives, coarsely: a dependency, a Miroir package or app, Node, GC. */
export function areaOf(functionName: string, url: string): string {
  if (functionName === "(garbage collector)") return "garbage collection";
  if (url === "") return "native code";
  if (url.startsWith("node:")) return "Node.js internals";
  if (url.startsWith("wasm:")) return "WebAssembly (undici's HTTP parser)";
  const dependency = url.lastIndexOf("/node_modules/");
  if (dependency !== -1) {
    const [scope, name] = url.slice(dependency + "/node_modules/".length).split("/");
    return scope?.startsWith("@") === true ? `${scope}/${name}` : (scope ?? url);
  }
  const own = /\/(apps|packages|bench)\/([^/]+)\//.exec(url);
  return own === null ? url : `${own[1]}/${own[2]}`;
}

/** Shortens a script URL to `pkg/file` for dependencies and to the repo path for Miroir. */
export function shortLocation(url: string, line: number): string {
  if (url === "") return "";
  const path = url.replace(/^file:\/\//, "");
  const dependency = path.lastIndexOf("/node_modules/");
  const short =
    dependency !== -1
      ? path.slice(dependency + "/node_modules/".length)
      : (/\/(apps|packages|bench)\/.*/.exec(path)?.[0].slice(1) ?? path);
  return `${short}:${line + 1}`;
}

/**
 * The `limit` functions with the most self time in a V8 `.cpuprofile`, counting only the
 * samples inside `window` (so start-up and shutdown stay out of the picture).
 */
export function summariseProfile(
  subject: string,
  profile: CpuProfile,
  window?: ClockWindow,
  limit = 12,
): ProfileSummary {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const selfUs = new Map<string, { functionName: string; location: string; us: number }>();
  const areaUs = new Map<string, number>();
  let busyUs = 0;
  const { indexes, windowed } = samplesIn(profile, window);
  for (const i of indexes) {
    const frame = frames.get(profile.samples[i] as number);
    const delta = profile.timeDeltas[i] ?? 0;
    if (frame === undefined || frame.functionName === "(idle)") continue;
    busyUs += delta;
    const location = shortLocation(frame.url, frame.lineNumber);
    const functionName = frame.functionName === "" ? "(anonymous)" : frame.functionName;
    const key = `${functionName} ${location}`;
    const entry = selfUs.get(key) ?? { functionName, location, us: 0 };
    entry.us += delta;
    selfUs.set(key, entry);
    const area = areaOf(frame.functionName, frame.url);
    areaUs.set(area, (areaUs.get(area) ?? 0) + delta);
  }
  const top = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, limit)
    .map((entry) => ({
      functionName: entry.functionName,
      location: entry.location,
      selfMs: entry.us / 1000,
      percent: busyUs > 0 ? (100 * entry.us) / busyUs : 0,
    }));
  const spanUs =
    windowed && window !== undefined
      ? window.toUs - window.fromUs
      : profile.timeDeltas.reduce((sum, delta) => sum + delta, 0);
  const areas = [...areaUs]
    .sort(([, a], [, b]) => b - a)
    .map(([area, us]) => ({ area, percent: busyUs > 0 ? (100 * us) / busyUs : 0 }));
  return { subject, busyMs: busyUs / 1000, spanMs: spanUs / 1000, windowed, top, areas };
}

/** Summarises the only (or newest) `.cpuprofile` that a process wrote into `dir`. */
export async function summariseProfileDir(
  subject: string,
  dir: string,
  window?: ClockWindow,
): Promise<ProfileSummary> {
  const files = (await readdir(dir)).filter((file) => file.endsWith(".cpuprofile")).sort();
  const newest = files.at(-1);
  if (newest === undefined) throw new Error(`no CPU profile was written into ${dir}`);
  const profile = JSON.parse(await readFile(join(dir, newest), "utf8")) as CpuProfile;
  return summariseProfile(subject, profile, window);
}
