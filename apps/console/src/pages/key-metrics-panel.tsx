import { useRef, useState } from "preact/hooks";
import { adminCall } from "../api/admin-api.js";
import { usePolling } from "../api/use-polling.js";
import { ErrorNote } from "../components/error-note.js";
import { Sparkline } from "../components/sparkline.js";
import { parseExposition } from "../metrics/exposition.js";
import { type KeyMetrics, keyMetrics, type Scrape } from "../metrics/key-metrics.js";

const SCRAPE_MS = 2_000;
/** Two minutes of points. */
const POINTS = 60;

/** Live charts of a few figures, computed from successive reads of `/_miroir/metrics`. */
export function KeyMetricsPanel() {
  const previous = useRef<Scrape | null>(null);
  const [history, setHistory] = useState<KeyMetrics[]>([]);
  const polled = usePolling(async () => {
    const scrape: Scrape = {
      at: performance.now(),
      samples: parseExposition(await adminCall<string>("metrics")),
    };
    const figures = keyMetrics(previous.current, scrape);
    previous.current = scrape;
    setHistory((points) => [...points, figures].slice(-POINTS));
    return figures;
  }, SCRAPE_MS);
  const series = (pick: (point: KeyMetrics) => number | null) => history.map(pick);
  return (
    <section aria-labelledby="metrics-title">
      <h2 id="metrics-title">Key metrics</h2>
      <p class="note">This process's metrics, read every 2 s; the last two minutes.</p>
      <ErrorNote error={polled.error} />
      <div class="charts">
        <Sparkline
          title="Client requests"
          unit="req/s"
          values={series((p) => p.requestsPerSecond)}
        />
        <Sparkline title="Search p95" unit="ms" values={series((p) => p.searchP95Ms)} />
        <Sparkline
          title="Node call errors"
          unit="/s"
          digits={2}
          values={series((p) => p.nodeErrorsPerSecond)}
        />
        <Sparkline
          title="Unfinished tasks"
          unit=""
          digits={0}
          values={series((p) => p.unfinishedTasks)}
        />
      </div>
    </section>
  );
}
