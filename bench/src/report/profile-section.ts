import type { ProfileSummary } from "../profile/cpu-profile-summary.js";
import type { BenchmarkResults } from "./benchmark-results.js";
import { markdownTable } from "./markdown-table.js";
import { memoryMultiple, routingSpeedPerCore, type TargetCheck } from "./spec-targets.js";

const percent = (value: number) => `${value.toFixed(0)} %`;

function areaShare(profile: ProfileSummary, area: string): number {
  return profile.areas.find((candidate) => candidate.area === area)?.percent ?? 0;
}

/** What the run's own figures say about a miss, beyond the profile table. */
function measuredCause(check: TargetCheck, results: BenchmarkResults, profile: ProfileSummary) {
  if (check.profile === "search") {
    const calls = results.search.find((scenario) => scenario.id === "trivial")?.nodeCalls ?? [];
    const described = calls.map((count) => `${count.total.toFixed(1)} (${count.label})`);
    return described.length === 0
      ? []
      : [`Node requests per client search: ${described.join(" against ")}.`];
  }
  if (check.profile === "writes" && results.writes !== null) {
    const { direct, miroir } = results.writes;
    return [
      `All batches were accepted after ${miroir.acceptedSeconds.toFixed(3)} s through Miroir against ${direct.acceptedSeconds.toFixed(3)} s straight to the nodes, and indexed after ${miroir.seconds.toFixed(3)} s against ${direct.seconds.toFixed(3)} s: the first gap is the proxy's request path, the rest is waiting for Miroir's task status.`,
    ];
  }
  if (check.profile === "routing" && results.routing !== null) {
    const routing = results.routing;
    return [
      `Routing ran at ${percent((100 * routingSpeedPerCore(routing).median) / routingSpeedPerCore(routing).parseCeiling)} of \`JSON.parse\` alone in the same process; garbage collection took ${percent(areaShare(profile, "garbage collection"))} of the CPU time, and the 100 000-document run peaked at ${memoryMultiple(routing).toFixed(1)}× its payload.`,
    ];
  }
  if (check.profile === "merge") {
    return [
      `The merge code itself (\`packages/merger\`) holds ${percent(areaShare(profile, "packages/merger"))} of the time, garbage collection ${percent(areaShare(profile, "garbage collection"))}.`,
    ];
  }
  return [];
}

function explanation(check: TargetCheck, results: BenchmarkResults, profile: ProfileSummary) {
  const core = (100 * profile.busyMs) / Math.max(1, profile.spanMs);
  const span = profile.windowed ? "the measured window" : "the whole process";
  return [
    `### ${check.target}`,
    "",
    ...measuredCause(check, results, profile),
    "",
    `V8 CPU profile (\`--cpu-prof\`) of the process doing the work: ${profile.busyMs.toFixed(0)} ms on the CPU in the ${profile.spanMs.toFixed(0)} ms of ${span}, ${percent(core)} of one core${core < 95 ? " (the rest of the time it waited on the nodes, the network or a busy machine)" : ""}.`,
    "",
    `By area: ${profile.areas
      .slice(0, 6)
      .map((area) => `${area.area} ${percent(area.percent)}`)
      .join(", ")}. Top functions by self time:`,
    "",
    markdownTable(
      ["function", "where", "self ms", "% of busy"],
      profile.top.map((entry) => [
        `\`${entry.functionName.replaceAll("`", "'")}\``,
        entry.location === "" ? "(native)" : `\`${entry.location}\``,
        entry.selfMs.toFixed(1),
        entry.percent.toFixed(1),
      ]),
    ),
    "",
  ];
}

/** For every missed target that has a profile: where the time goes. */
export function profileSection(results: BenchmarkResults, checks: readonly TargetCheck[]): string {
  const explained = checks.flatMap((check) => {
    if (check.status !== "missed" || check.profile === null) return [];
    const profile = results.profiles.find((candidate) => candidate.subject === check.profile);
    return profile === undefined ? [] : explanation(check, results, profile);
  });
  if (explained.length === 0) return "Every measured target with a profile was met in this run.";
  return explained.join("\n").trimEnd();
}
