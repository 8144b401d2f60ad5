import { adminCall } from "../api/admin-api.js";
import type { ShardsView, TopologyView } from "../api/admin-types.js";
import { usePolling } from "../api/use-polling.js";
import { ErrorNote } from "../components/error-note.js";
import { TableScroll } from "../components/table-scroll.js";
import { CELL_STATES, shardRows } from "../shard-map/cell-state.js";

/** Shards × nodes: which node holds or will hold each shard, and in what state. */
export function ShardsPage() {
  const polled = usePolling(async () => {
    const [shards, topology] = await Promise.all([
      adminCall<ShardsView>("shards"),
      adminCall<TopologyView>("topology"),
    ]);
    return { shards, topology };
  }, 2_000);
  const data = polled.data;
  const nodes = (data?.topology.nodes ?? [])
    .filter((node) => node.state !== "removed")
    .sort((a, b) => a.replicaGroup - b.replicaGroup || (a.id < b.id ? -1 : 1));
  const rows = data === null ? [] : shardRows(data.shards, nodes);
  const letterOf = new Map(CELL_STATES.map((entry) => [entry.state, entry.letter]));
  return (
    <>
      <h1>Shard map</h1>
      <ErrorNote error={polled.error} />
      <ul class="legend" aria-label="Legend">
        {CELL_STATES.map((entry) => (
          <li key={entry.state}>
            <span class={`cell cell-${entry.state}`} aria-hidden="true">
              {entry.letter}
            </span>{" "}
            <strong>{entry.state}</strong>: {entry.meaning}
          </li>
        ))}
      </ul>
      {data === null ? (
        <p>Loading the shard map…</p>
      ) : (
        <TableScroll label="Shard map">
          <table class="shard-map">
            <caption>
              {data.topology.shards} shards over {nodes.length} nodes in{" "}
              {data.topology.replicaGroups} replica group(s)
            </caption>
            <thead>
              <tr>
                <th scope="col">Shard</th>
                {nodes.map((node) => (
                  <th scope="col" key={node.id}>
                    {node.id}
                    <span class="group-tag">g{node.replicaGroup}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.shard} data-shard={row.shard}>
                  <th scope="row">{row.shard}</th>
                  {nodes.map((node) => {
                    const cell = row.cells.get(node.id);
                    return cell === undefined ? (
                      <td key={node.id} data-node={node.id} />
                    ) : (
                      <td
                        key={node.id}
                        data-node={node.id}
                        data-holds={String(cell.holds)}
                        data-target={String(cell.target)}
                        class={`cell cell-${cell.state}`}
                        title={`shard ${row.shard} on ${node.id}: ${cell.state}`}
                      >
                        {letterOf.get(cell.state)}
                        <span class="visually-hidden"> {cell.state}</span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
