import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runLoad } from "../load/load-loop.js";
import { startMiroirProcess } from "../processes/miroir-process.js";
import { startFanOutProxy, startUpstream } from "../processes/upstreams.js";
import {
  monotonicMicroseconds,
  type ProfileSummary,
  summariseProfileDir,
} from "../profile/cpu-profile-summary.js";
import type { SearchScenario } from "../report/benchmark-results.js";
import {
  checkSearch,
  type LoadShape,
  measureSearch,
  type SearchMeasurement,
  type SearchTarget,
} from "./search-suite.js";
import { Stoppables } from "./stoppable.js";

const PATH = "/indexes/bench/search";

/**
 * What a proxy costs by itself: three upstreams that answer at once from memory, searched
 * directly (one of them), through the minimal fan-out proxy, and through Miroir. Then a
 * CPU profile of Miroir under the same load.
 */
export async function proxyFloorScenario(
  bodies: readonly string[],
  shape: LoadShape,
): Promise<{ scenario: SearchScenario; profile: ProfileSummary }> {
  const running = new Stoppables();
  try {
    const upstreams = await Promise.all(
      [0, 1, 2].map((i) => startUpstream("trivial", `node-${i}`, null).then((u) => running.add(u))),
    );
    const nodes = upstreams.map(({ id, url }) => ({ id, url }));
    const first = upstreams[0] as (typeof upstreams)[number];
    const measurements: SearchMeasurement[] = [];
    const measure = async (target: SearchTarget) => {
      await checkSearch(target, bodies[0] as string);
      measurements.push(await measureSearch(target, bodies, shape));
    };
    await measure({
      label: "direct to one upstream",
      role: "direct",
      url: first.url,
      path: PATH,
      headers: {},
    });
    const fanOut = running.add(await startFanOutProxy(nodes, null));
    await measure({
      label: "minimal fan-out proxy",
      role: "fan-out",
      url: fanOut.url,
      path: PATH,
      headers: {},
    });
    await running.stop(fanOut);
    const miroir = running.add(
      await startMiroirProcess({ nodes, replicationFactor: 1, nodeMasterKey: null }),
    );
    await measure({ label: "Miroir", role: "miroir", url: miroir.url, path: PATH, headers: {} });
    await running.stop(miroir);

    const profileDir = await mkdtemp(join(tmpdir(), "miroir-profile-"));
    try {
      const profiled = running.add(
        await startMiroirProcess({
          nodes,
          replicationFactor: 1,
          nodeMasterKey: null,
          cpuProfileDir: profileDir,
        }),
      );
      const fromUs = monotonicMicroseconds();
      await runLoad({
        url: profiled.url,
        path: PATH,
        bodies,
        connections: shape.throughputConnections,
        durationMs: shape.throughputMs,
        maxRequests: shape.maxRequests,
        warmupMs: shape.warmupMs,
      });
      const toUs = monotonicMicroseconds();
      await running.stop(profiled);
      const profile = await summariseProfileDir("search", profileDir, { fromUs, toUs });
      return {
        scenario: {
          id: "trivial",
          title: "Proxy alone: 3 upstreams that answer at once",
          documents: 0,
          measurements,
        },
        profile,
      };
    } finally {
      await rm(profileDir, { recursive: true, force: true });
    }
  } finally {
    await running.stopAll();
  }
}
