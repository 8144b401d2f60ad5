import { fileURLToPath } from "node:url";
import { runChildJson } from "../../processes/child-json.js";
import type { CostCurve, CurvePoint } from "../../report/cost-curve.js";

export interface RoutingCurvePlan {
  readonly documents: number;
  readonly iterations: number;
  readonly shards: readonly number[];
  readonly shardsNodes: number;
  readonly nodes: readonly number[];
  readonly nodesShards: number;
  readonly tableNodes: readonly number[];
}

/** Routing cost per document over S and over nodes, and routing-table build time. */
export async function routingCurves(plan: RoutingCurvePlan): Promise<CostCurve[]> {
  const result = await runChildJson<{
    overShards: CurvePoint[];
    overNodes: CurvePoint[];
    tableOverNodes: CurvePoint[];
  }>({
    script: fileURLToPath(new URL("./routing-curves-child.js", import.meta.url)),
    args: [
      "--documents",
      String(plan.documents),
      "--iterations",
      String(plan.iterations),
      "--shards",
      plan.shards.join(","),
      "--shards-nodes",
      String(plan.shardsNodes),
      "--nodes",
      plan.nodes.join(","),
      "--nodes-shards",
      String(plan.nodesShards),
      "--table-nodes",
      plan.tableNodes.join(","),
    ],
  });
  const method = `The proxy's batch router (\`routeBatch\`: parse, validate, hash the primary key, splice \`_miroir_shard\` into the line, group by node) on one ${plan.documents.toLocaleString("en-US")}-document NDJSON batch, alone in a child process, routing table built beforehand; the points take turns over ${plan.iterations} rounds and each keeps its fastest (other work on the machine only adds time).`;
  return [
    {
      id: "routing-shards",
      title: "Routing cost per document as S grows",
      x: { label: "shards", unit: "shard", scale: "log2" },
      y: { label: "time per document", unit: "ns" },
      series: [{ label: `${plan.shardsNodes} nodes`, points: result.overShards, fitted: true }],
      fixed: { nodes: plan.shardsNodes },
      method,
    },
    {
      id: "routing-nodes",
      title: "Routing cost per document as the nodes grow",
      x: { label: "nodes", unit: "node", scale: "log2" },
      y: { label: "time per document", unit: "ns" },
      series: [{ label: `${plan.nodesShards} shards`, points: result.overNodes, fitted: true }],
      fixed: { shards: plan.nodesShards },
      method,
    },
    {
      id: "routing-table-nodes",
      title: "Routing-table build time as the nodes grow",
      x: { label: "nodes", unit: "node", scale: "log2" },
      y: { label: "time to route every shard once", unit: "ms" },
      series: [
        { label: `${plan.nodesShards} shards`, points: result.tableOverNodes, fitted: true },
      ],
      fixed: { shards: plan.nodesShards },
      method: `Every shard's write targets computed once on a fresh topology of one group (${plan.nodesShards} shards, RF 1): what the first requests after a topology change pay, in every proxy process. The router ranks every node of the group for each shard. Fastest of ${plan.iterations} rounds, a fresh topology each.`,
    },
  ];
}
