import { useState } from "preact/hooks";
import { adminCall } from "../api/admin-api.js";
import type { NodeView, TopologyView, VersionsView } from "../api/admin-types.js";
import { usePolling } from "../api/use-polling.js";
import { ErrorNote } from "../components/error-note.js";
import { StatusBadge } from "../components/status-badge.js";
import { TableScroll } from "../components/table-scroll.js";
import { AddNodeForm } from "./add-node-form.js";
import { DrainButton } from "./drain-button.js";
import { KeyMetricsPanel } from "./key-metrics-panel.js";

/** How often the fleet view asks for the topology: well within one health interval. */
const TOPOLOGY_POLL_MS = 1_000;

/** The fleet at a glance: nodes, groups, health, versions, this Miroir process, key metrics. */
export function FleetPage() {
  const topology = usePolling(() => adminCall<TopologyView>("topology"), TOPOLOGY_POLL_MS);
  const versions = usePolling(() => adminCall<VersionsView>("versions"), 10_000);
  const [message, setMessage] = useState<string | null>(null);
  const view = topology.data;
  const versionOf = new Map((versions.data?.nodes ?? []).map((node) => [node.id, node.version]));
  const changed = (text: string) => {
    setMessage(text);
    topology.refresh();
  };
  return (
    <>
      <h1>Fleet</h1>
      <ErrorNote error={topology.error} />
      {message === null ? null : (
        <p class="note" role="status">
          {message}
        </p>
      )}
      {view === null ? (
        <p>Loading the topology…</p>
      ) : (
        <>
          <FleetSummary view={view} />
          {(view.warnings ?? []).length > 0 ? (
            <ul class="warnings">
              {(view.warnings ?? []).map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          ) : null}
          {groupsOf(view).map(([group, nodes]) => (
            <section key={group} aria-labelledby={`group-${group}`}>
              <h2 id={`group-${group}`}>Replica group {group}</h2>
              <TableScroll label={`Nodes of replica group ${group}`}>
                <table class="nodes">
                  <thead>
                    <tr>
                      <th scope="col">Node</th>
                      <th scope="col">State</th>
                      <th scope="col">Health</th>
                      <th scope="col">Shards (now / target)</th>
                      <th scope="col">Meilisearch</th>
                      <th scope="col">Last seen</th>
                      <th scope="col">Address</th>
                      <th scope="col">Last error</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {nodes.map((node) => (
                      <tr key={node.id} data-node={node.id}>
                        <th scope="row">{node.id}</th>
                        <td data-field="state">
                          <StatusBadge value={node.state} />
                        </td>
                        <td data-field="health">
                          <StatusBadge value={node.health ?? "removed"} />
                        </td>
                        <td>
                          {node.shardCount} / {node.targetShardCount}
                        </td>
                        <td>{versionOf.get(node.id) ?? "–"}</td>
                        <td>{node.lastSeen === null ? "never" : timeOf(node.lastSeen)}</td>
                        <td class="mono">{node.address}</td>
                        <td class="wrap">{node.error ?? ""}</td>
                        <td>
                          <DrainButton node={node} onDone={changed} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            </section>
          ))}
          <AddNodeForm groups={view.replicaGroups} onDone={changed} />
        </>
      )}
      <section aria-labelledby="process-title">
        <h2 id="process-title">Miroir processes</h2>
        {versions.data === null ? (
          <ErrorNote error={versions.error} />
        ) : (
          <dl class="facts">
            <dt>Answering process</dt>
            <dd class="mono">{versions.data.process.hostname}</dd>
            <dt>Started</dt>
            <dd>{timeOf(versions.data.process.startedAt)}</dd>
            <dt>Node.js</dt>
            <dd>{versions.data.process.nodeVersion}</dd>
            <dt>Task store</dt>
            <dd>{versions.data.process.taskStore}</dd>
          </dl>
        )}
        <p class="note">
          The admin API lists only the process that answers; other proxies sharing the task store
          are not listed.
        </p>
      </section>
      <KeyMetricsPanel />
    </>
  );
}

function FleetSummary({ view }: { view: TopologyView }) {
  const live = view.nodes.filter((node) => node.state !== "removed");
  const healthy = live.filter((node) => node.health === "healthy").length;
  return (
    <dl class="tiles">
      <div>
        <dt>Healthy nodes</dt>
        <dd data-field="healthy-nodes">
          {healthy} / {live.length}
        </dd>
      </div>
      <div>
        <dt>Shards without a replica</dt>
        <dd class={view.coverage.uncoveredShards > 0 ? "bad" : ""}>
          {view.coverage.uncoveredShards}
        </dd>
      </div>
      <div>
        <dt>Degraded shards</dt>
        <dd class={view.coverage.degradedShards > 0 ? "warn" : ""}>
          {view.coverage.degradedShards}
        </dd>
      </div>
      <div>
        <dt>Shards × groups × RF</dt>
        <dd>
          {view.shards} × {view.replicaGroups} × {view.replicationFactor}
        </dd>
      </div>
    </dl>
  );
}

function groupsOf(view: TopologyView): [number, NodeView[]][] {
  const groups = new Map<number, NodeView[]>();
  for (let group = 0; group < view.replicaGroups; group++) groups.set(group, []);
  for (const node of view.nodes) {
    groups.set(node.replicaGroup, [...(groups.get(node.replicaGroup) ?? []), node]);
  }
  return [...groups.entries()];
}

export function timeOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
