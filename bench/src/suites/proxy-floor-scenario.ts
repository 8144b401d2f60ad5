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
import { countNodeCalls } from "./node-calls.js";
import { type LoadShape, measureSearches, type SearchTarget } from "./search-suite.js";
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
    const fanOut = running.add(await startFanOutProxy(nodes, null));
    const miroir = running.add(
      await startMiroirProcess({ nodes, replicationFactor: 1, nodeMasterKey: null }),
    );
    const target = (label: string, role: SearchTarget["role"], url: string): SearchTarget => ({
      label,
      role,
      url,
      path: PATH,
      headers: {},
    });
    const fanOutTarget = target("minimal fan-out proxy", "fan-out", fanOut.url);
    const miroirTarget = target("Miroir", "miroir", miroir.url);
    const measurements = await measureSearches(
      [target("direct to one upstream", "direct", first.url), fanOutTarget, miroirTarget],
      bodies,
      shape,
    );
    const nodeCalls = [
      await countNodeCalls(fanOutTarget, nodes, bodies[0] as string),
      await countNodeCalls(miroirTarget, nodes, bodies[0] as string),
    ];
    await running.stop(fanOut);
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
          nodeCalls,
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
