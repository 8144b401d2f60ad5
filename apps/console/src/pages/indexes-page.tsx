import { adminCall } from "../api/admin-api.js";
import type { IndexesView, IndexView } from "../api/admin-types.js";
import { usePolling } from "../api/use-polling.js";
import { ErrorNote } from "../components/error-note.js";
import { TableScroll } from "../components/table-scroll.js";

/** Every index with its document count, overall and per shard. */
export function IndexesPage() {
  const polled = usePolling(() => adminCall<IndexesView>("indexes"), 5_000);
  const data = polled.data;
  return (
    <>
      <h1>Indexes</h1>
      <ErrorNote error={polled.error} />
      {data === null ? (
        <p>Counting documents…</p>
      ) : (
        <>
          {data.unavailableShards.length > 0 ? (
            <p class="error" role="alert">
              No replica could count shard(s) {data.unavailableShards.join(", ")}: their counts show
              0.
            </p>
          ) : null}
          {data.results.length === 0 ? <p>No index yet.</p> : null}
          {data.results.map((index) => (
            <IndexCard key={index.uid} index={index} />
          ))}
        </>
      )}
    </>
  );
}

function IndexCard({ index }: { index: IndexView }) {
  const max = Math.max(1, ...index.documentsPerShard);
  const width = 4;
  return (
    <section class="card" aria-labelledby={`index-${index.uid}`} data-index={index.uid}>
      <h2 id={`index-${index.uid}`}>{index.uid}</h2>
      <dl class="facts">
        <dt>Documents</dt>
        <dd data-field="documents">{index.numberOfDocuments}</dd>
        <dt>Primary key</dt>
        <dd>{index.primaryKey ?? "not set yet"}</dd>
        <dt>Filterable</dt>
        <dd>{index.filterableAttributes.join(", ") || "none"}</dd>
        <dt>Sortable</dt>
        <dd>{index.sortableAttributes.join(", ") || "none"}</dd>
      </dl>
      <svg
        class="shard-bars"
        viewBox={`0 0 ${index.documentsPerShard.length * width} 40`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Documents per shard of ${index.uid}: from ${Math.min(...index.documentsPerShard)} to ${Math.max(...index.documentsPerShard)}`}
      >
        {index.documentsPerShard.map((count, shard) => {
          const height = (count / max) * 38;
          return (
            <rect
              key={shard}
              x={shard * width + 0.5}
              y={40 - height}
              width={width - 1}
              height={height}
            />
          );
        })}
      </svg>
      <details>
        <summary>Documents per shard</summary>
        <TableScroll label={`Documents per shard of ${index.uid}`}>
          <table class="compact">
            <thead>
              <tr>
                <th scope="col">Shard</th>
                <th scope="col">Documents</th>
              </tr>
            </thead>
            <tbody>
              {index.documentsPerShard.map((count, shard) => (
                <tr key={shard}>
                  <th scope="row">{shard}</th>
                  <td>{count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </section>
  );
}
