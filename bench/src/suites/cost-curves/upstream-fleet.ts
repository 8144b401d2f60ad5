import { fileURLToPath } from "node:url";
import { startChildService } from "../../processes/child-service.js";
import type { UpstreamNode } from "../../processes/miroir-process.js";

export interface UpstreamFleet {
  readonly nodes: readonly UpstreamNode[];
  stop(): Promise<void>;
}

/**
 * `count` upstream nodes spread over `processes` child processes (round-robin by id), so
 * that a search asking 32 nodes is not served by one event loop in turn.
 */
export async function startUpstreamFleet(
  kind: "trivial" | "emulated",
  count: number,
  processes: number,
  masterKey: string | null = null,
): Promise<UpstreamFleet> {
  const script = fileURLToPath(new URL("./upstream-fleet-child.js", import.meta.url));
  const per = Math.ceil(count / processes);
  const starts = [];
  for (let first = 0; first < count; first += per) {
    const args = [
      "--kind",
      kind,
      "--count",
      String(Math.min(per, count - first)),
      "--first",
      String(first),
    ];
    if (masterKey !== null) args.push("--master-key", masterKey);
    starts.push(startChildService({ script, args }));
  }
  const settled = await Promise.allSettled(starts);
  const children = settled.flatMap((outcome) =>
    outcome.status === "fulfilled" ? [outcome.value] : [],
  );
  const stop = async () => {
    await Promise.all(children.map((child) => child.stop()));
  };
  const failed = settled.find((outcome) => outcome.status === "rejected");
  if (failed !== undefined) {
    await stop();
    throw (failed as PromiseRejectedResult).reason;
  }
  const nodes = children
    .flatMap((child) => child.announced.nodes as UpstreamNode[])
    .sort((a, b) => Number(a.id.slice(5)) - Number(b.id.slice(5)));
  return { nodes, stop };
}
