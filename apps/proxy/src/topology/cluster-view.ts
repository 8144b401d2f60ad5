import type { HealthView, Topology } from "@miroir/router";
import type { ClusterView } from "../context.js";
import type { NodeClient } from "../node-client/index.js";

/**
 * The live cluster view. Replacing its topology also makes the node client follow it: a
 * node that joins gets a pool before any write is routed to it, and a removed node's pool
 * is closed, so no call ever names a node the client does not know. `onChange` hears of
 * every replacement once it is in place.
 */
export function createClusterView(
  initial: Topology,
  nodes: NodeClient,
  onChange: (next: Topology, previous: Topology) => void = () => undefined,
): ClusterView {
  let topology = initial;
  const follow = (next: Topology) =>
    nodes.follow(next.nodes.filter((node) => node.state !== "removed"));
  follow(initial);
  return {
    get topology() {
      return topology;
    },
    set topology(next: Topology) {
      follow(next);
      const previous = topology;
      topology = next;
      onChange(next, previous);
    },
    health: new Map() as HealthView,
  };
}
