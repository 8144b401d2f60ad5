import type { SimulationReport, TrialFigure } from "@miroir/simulator";
import { renderTable } from "./table.js";

/** Whole numbers with thousands separators, others to 3 significant digits. */
function amount(value: number): string {
  if (Number.isInteger(value) || Math.abs(value) >= 1000) {
    return Math.round(value).toLocaleString("en-US");
  }
  return Number(value.toPrecision(3)).toString();
}

const ratio = (value: number) => value.toFixed(2);

function fleetLine(report: SimulationReport): string {
  const { spec, groupSizes } = report;
  const sizes = [...new Set(groupSizes)].join(" or ");
  const groups = spec.replicaGroups === 1 ? "1 group" : `${spec.replicaGroups} groups of ${sizes}`;
  return `Fleet: ${amount(spec.nodes)} nodes (${groups}), RF ${spec.replicationFactor}, ${amount(spec.shards)} shards, ${amount(spec.documents)} documents, ${spec.zones} zone(s) (${spec.zoneLayout} layout), seed ${spec.seed}`;
}

function balanceTable(report: SimulationReport): string {
  const { balance } = report;
  return renderTable(
    [
      { what: "shards", spread: balance.shards, expected: ratio(balance.expectedShardMaxOverMean) },
      { what: "documents", spread: balance.documents, expected: "-" },
    ],
    [
      { heading: "PER NODE", cell: (row) => row.what },
      { heading: "MEAN", cell: (row) => amount(row.spread.mean), align: "right" },
      { heading: "MIN", cell: (row) => amount(row.spread.min), align: "right" },
      { heading: "MAX", cell: (row) => amount(row.spread.max), align: "right" },
      { heading: "MAX/MEAN", cell: (row) => ratio(row.spread.maxOverMean), align: "right" },
      { heading: "EXPECTED MAX/MEAN", cell: (row) => row.expected, align: "right" },
    ],
  );
}

function movementTable(report: SimulationReport): string {
  const rows = [
    { what: `add 1 node (${report.addition.trials} random ids)`, move: report.addition },
    { what: "remove 1 node (each node in turn)", move: report.removal },
  ];
  return renderTable(rows, [
    { heading: `GROUP ${report.addition.group}`, cell: (row) => row.what },
    {
      heading: "DOCS MOVED (MEAN)",
      cell: (row) => amount(row.move.expectedDocuments),
      align: "right",
    },
    { heading: "MINIMUM", cell: (row) => amount(row.move.minimumDocuments), align: "right" },
    { heading: "RATIO", cell: (row) => ratio(row.move.ratio), align: "right" },
    { heading: "MOST", cell: (row) => amount(row.move.documentsMoved.max), align: "right" },
    {
      heading: "SHARD COPIES (MEAN)",
      cell: (row) => amount(row.move.shardCopiesMoved.mean),
      align: "right",
    },
    {
      heading: "PLANNED WITH planMove",
      cell: (row) =>
        row.move.example === null
          ? "-"
          : `${row.move.example.node}: ${row.move.example.shardCopiesMoved} copies, ${amount(row.move.example.documentsMoved)} docs`,
    },
  ]);
}

const simulated = (figure: TrialFigure) => `${amount(figure.mean)} (${amount(figure.expected)})`;

function failureTable(report: SimulationReport): string {
  const random = report.randomFailures.map((failure) => ({
    what: `${failure.failedNodes} random node(s), ${failure.trials} draws`,
    down: failure.failedNodes,
    noQuorum: `${simulated(failure.withoutWriteQuorum)}, ${Math.round(100 * failure.withoutWriteQuorum.probabilityAny)} % of draws`,
    degraded: simulated(failure.degraded),
    unreadable: `${simulated(failure.unreadable)}, ${Math.round(100 * failure.unreadable.probabilityAny)} % of draws`,
  }));
  const zones = report.zoneFailures.map((zone) => ({
    what: `zone ${zone.zone}`,
    down: zone.failedNodes,
    noQuorum: `${amount(zone.impact.withoutWriteQuorum)} (${amount(zone.expected.withoutWriteQuorum)})`,
    degraded: `${amount(zone.impact.degraded)} (${amount(zone.expected.degraded)})`,
    unreadable: `${amount(zone.impact.unreadable)} (${amount(zone.expected.unreadable)})`,
  }));
  return renderTable(
    [...random, ...zones],
    [
      { heading: "FAILURE", cell: (row) => row.what },
      { heading: "DOWN", cell: (row) => String(row.down), align: "right" },
      { heading: "SHARDS WITHOUT WRITE QUORUM", cell: (row) => row.noQuorum },
      { heading: "DEGRADED", cell: (row) => row.degraded },
      { heading: "UNREADABLE", cell: (row) => row.unreadable },
    ],
  );
}

function fanOutTable(report: SimulationReport): string {
  const { fanOut } = report;
  const rows = [
    { what: "no primary-key filter", nodes: fanOut.unpinned.mean },
    ...fanOut.pinned.map((entry) => ({
      what: entry.keys === 1 ? "pinned to 1 key" : `pinned to ${entry.keys} keys`,
      nodes: entry.mean,
    })),
  ];
  const hits = fanOut.hitsRequested
    .map((page) => `${amount(page.perSearch)} for offset ${page.offset}, limit ${page.limit}`)
    .join("; ");
  return [
    renderTable(rows, [
      { heading: `SEARCH (${fanOut.queries} simulated)`, cell: (row) => row.what },
      { heading: "NODES ASKED", cell: (row) => amount(row.nodes), align: "right" },
    ]),
    `Node query bytes per search: ${amount(fanOut.nodeQueryBytes)}. Hits asked of the nodes per search: ${hits}.`,
  ].join("\n");
}

/** The human report of `miroir-ctl simulate`. */
export function renderSimulation(report: SimulationReport): string {
  return [
    fleetLine(report),
    "",
    balanceTable(report),
    "",
    movementTable(report),
    "",
    "Shards affected, simulated mean (closed-form expectation):",
    failureTable(report),
    "",
    fanOutTable(report),
  ].join("\n");
}
