import type { ConfigIssue } from "../issues/config-error.js";
import type { MiroirConfig } from "../schema/miroir-config.js";

/** Rules on the fleet: every group exists and is populated, nodes are distinct, RF fits. */
export function topologyIssues(config: MiroirConfig): ConfigIssue[] {
  return [
    ...groupMembershipIssues(config),
    ...duplicateIssues(config, "id", (id) => id),
    ...duplicateIssues(config, "address", canonicalAddress),
    ...replicationIssues(config),
  ];
}

function groupMembershipIssues(config: MiroirConfig): ConfigIssue[] {
  const last = config.replica_groups - 1;
  const issues: ConfigIssue[] = config.nodes.flatMap((node, index) =>
    node.replica_group > last
      ? [
          {
            path: `nodes[${index}].replica_group`,
            message: `is ${node.replica_group} but replica_groups is ${config.replica_groups}, so groups are 0..${last}; move the node to an existing group or raise replica_groups`,
          },
        ]
      : [],
  );
  for (let group = 0; group <= last; group++) {
    if (!config.nodes.some((node) => node.replica_group === group)) {
      issues.push({
        path: "replica_groups",
        message: `is ${config.replica_groups} but group ${group} has no node; give every group 0..${last} at least one node or lower replica_groups`,
      });
    }
  }
  return issues;
}

function duplicateIssues(
  config: MiroirConfig,
  key: "id" | "address",
  canonical: (value: string) => string,
): ConfigIssue[] {
  const firstSeen = new Map<string, number>();
  const issues: ConfigIssue[] = [];
  config.nodes.forEach((node, index) => {
    const value = canonical(node[key]);
    const first = firstSeen.get(value);
    if (first === undefined) {
      firstSeen.set(value, index);
      return;
    }
    issues.push({
      path: `nodes[${index}].${key}`,
      message: `"${node[key]}" is already used by nodes[${first}]; every node needs its own ${key}`,
    });
  });
  return issues;
}

function replicationIssues(config: MiroirConfig): ConfigIssue[] {
  const sizes = new Map<number, number>();
  for (const node of config.nodes) {
    sizes.set(node.replica_group, (sizes.get(node.replica_group) ?? 0) + 1);
  }
  const populated = [...sizes.entries()].filter(([group]) => group < config.replica_groups);
  if (populated.length === 0) return [];
  const [smallestGroup, smallestSize] = populated.reduce((a, b) => (b[1] < a[1] ? b : a));
  if (config.replication_factor <= smallestSize) return [];
  return [
    {
      path: "replication_factor",
      message: `is ${config.replication_factor} but replica group ${smallestGroup} has only ${smallestSize} node(s); lower replication_factor to at most ${smallestSize} or add nodes to that group`,
    },
  ];
}

/** Two spellings of the same node URL (case, default port, trailing slash) are one address. */
function canonicalAddress(address: string): string {
  const url = new URL(address);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}
