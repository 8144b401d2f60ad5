import { cpus, loadavg, platform, release } from "node:os";
import type { MachineInfo } from "./report/benchmark-results.js";

export function machineInfo(loadAverageAtStart: number): MachineInfo {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? "unknown",
    nodeVersion: process.version,
    platform: `${platform()} ${release()}`,
    loadAverageAtStart,
    loadAverageAtEnd: loadavg()[0] ?? 0,
  };
}
