import { adminCall } from "../api/admin-api.js";
import type { RebalanceStatus } from "../api/admin-types.js";
import { usePolling } from "../api/use-polling.js";
import { ErrorNote } from "../components/error-note.js";
import { ProgressBar } from "../components/progress-bar.js";
import { TableScroll } from "../components/table-scroll.js";
import { progressSources } from "../progress/progress-sources.js";

/** Long-running jobs (rebalance today) as progress bars, and the moves still to make. */
export function OperationsPage() {
  const jobs = usePolling(
    () =>
      Promise.all(progressSources.map(async (source) => ({ source, items: await source.load() }))),
    2_000,
  );
  const rebalance = usePolling(() => adminCall<RebalanceStatus>("rebalance/status"), 2_000);
  const moves = rebalance.data?.pendingMoves ?? [];
  return (
    <>
      <h1>Operations</h1>
      <ErrorNote error={jobs.error} />
      {(jobs.data ?? []).map(({ source, items }) => (
        <section key={source.id} aria-labelledby={`job-${source.id}`}>
          <h2 id={`job-${source.id}`}>{source.title}</h2>
          {items.map((item) => (
            <ProgressBar key={item.id} item={item} />
          ))}
        </section>
      ))}
      <section aria-labelledby="moves-title">
        <h2 id="moves-title">Pending shard moves</h2>
        <ErrorNote error={rebalance.error} />
        {moves.length === 0 ? (
          <p>None: every shard sits on the nodes the topology places it on.</p>
        ) : (
          <TableScroll label="Pending shard moves">
            <table class="compact">
              <thead>
                <tr>
                  <th scope="col">Shard</th>
                  <th scope="col">Group</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                </tr>
              </thead>
              <tbody>
                {moves.map((move) => (
                  <tr key={`${move.shard}-${move.group}`}>
                    <th scope="row">{move.shard}</th>
                    <td>{move.group}</td>
                    <td>{move.from.join(", ")}</td>
                    <td>{move.to.join(", ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </>
  );
}
