/** Reads until `holds` is true, failing after `withinMs` with the last value read. */
export async function eventually<T>(
  read: () => Promise<T>,
  holds: (value: T) => boolean,
  withinMs = 5_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (holds(value)) return value;
    if (Date.now() - started > withinMs) {
      throw new Error(`not within ${withinMs} ms: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface TopologyAnswer {
  nodes: { id: string; state: string; health: string | null }[];
}

/** A node's health as Miroir's topology reports it. */
export async function healthOf(
  env: { miroir(path: string, init?: RequestInit): Promise<Response> },
  nodeId: string,
): Promise<string | null | undefined> {
  const topology = (await (await env.miroir("/_miroir/topology")).json()) as TopologyAnswer;
  return topology.nodes.find((node) => node.id === nodeId)?.health;
}

export interface ShardsAnswer {
  shards: { shard: number; groups: { group: number; nodes: string[]; targetNodes: string[] }[] }[];
}
