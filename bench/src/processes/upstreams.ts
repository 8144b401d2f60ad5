import { fileURLToPath } from "node:url";
import { type ChildService, startChildService } from "./child-service.js";
import type { UpstreamNode } from "./miroir-process.js";

export type UpstreamKind = "emulated" | "real" | "trivial";

export interface UpstreamService extends UpstreamNode {
  stop(): Promise<void>;
}

const script = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** One upstream node in its own process (see `node-process.ts`). */
export async function startUpstream(
  kind: UpstreamKind,
  id: string,
  masterKey: string | null,
): Promise<UpstreamService> {
  const args = ["--kind", kind, "--id", id];
  if (masterKey !== null) args.push("--master-key", masterKey);
  const service = await startChildService({ script: script("node-process.js"), args });
  return { id, url: service.url, stop: () => service.stop() };
}

/** The minimal Node fan-out proxy of SPEC §11 over `nodes`, in its own process. */
export function startFanOutProxy(
  nodes: readonly UpstreamNode[],
  masterKey: string | null,
): Promise<ChildService> {
  const args = ["--nodes", nodes.map((node) => node.url).join(",")];
  if (masterKey !== null) args.push("--master-key", masterKey);
  return startChildService({ script: script("fanout-proxy.js"), args });
}
