import type { Sample } from "./exposition.js";
import { type Bucket, histogramQuantile } from "./histogram-quantile.js";

/** One scrape of `/_miroir/metrics`, with when it was taken. */
export interface Scrape {
  readonly at: number;
  readonly samples: readonly Sample[];
}

/** The figures the console charts, between two scrapes; `null` when there is nothing to say. */
export interface KeyMetrics {
  /** Client requests answered per second (the admin API and console excluded). */
  readonly requestsPerSecond: number | null;
  /** 95th percentile of search answer times, in milliseconds. */
  readonly searchP95Ms: number | null;
  /** Failed node calls per second. */
  readonly nodeErrorsPerSecond: number | null;
  /** Miroir tasks enqueued or processing now. */
  readonly unfinishedTasks: number | null;
}

/** Route templates of the search requests clients send. */
export function isSearchTemplate(template: string): boolean {
  return template.endsWith("/search") || template === "/multi-search";
}

function isClientTemplate(template: string | undefined): boolean {
  return template !== undefined && !template.startsWith("/_miroir");
}

/**
 * Rates and quantiles between two scrapes, as Prometheus's `rate` and `histogram_quantile`
 * would give them over that window. A counter that went down was reset (the process
 * restarted): its whole current value is the increase.
 */
export function keyMetrics(previous: Scrape | null, current: Scrape): KeyMetrics {
  const seconds = previous === null ? 0 : (current.at - previous.at) / 1000;
  const increase = (pick: (sample: Sample) => boolean, name: string) =>
    previous === null || seconds <= 0
      ? null
      : counterIncrease(previous.samples, current.samples, name, pick);
  const requests = increase(
    (sample) => isClientTemplate(sample.labels.path_template),
    "miroir_requests_total",
  );
  const errors = increase(() => true, "miroir_node_errors_total");
  const tasks = current.samples.filter(
    (sample) =>
      sample.name === "miroir_task_registry_size" &&
      (sample.labels.status === "enqueued" || sample.labels.status === "processing"),
  );
  return {
    requestsPerSecond: requests === null ? null : requests / seconds,
    searchP95Ms: previous === null ? null : searchQuantileMs(0.95, previous, current),
    nodeErrorsPerSecond: errors === null ? null : errors / seconds,
    unfinishedTasks: tasks.length === 0 ? null : tasks.reduce((sum, s) => sum + s.value, 0),
  };
}

function seriesKey(sample: Sample): string {
  return `${sample.name}|${Object.entries(sample.labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join(",")}`;
}

function counterIncrease(
  before: readonly Sample[],
  after: readonly Sample[],
  name: string,
  pick: (sample: Sample) => boolean,
): number {
  const earlier = new Map(
    before.filter((s) => s.name === name && pick(s)).map((s) => [seriesKey(s), s.value]),
  );
  let sum = 0;
  for (const sample of after) {
    if (sample.name !== name || !pick(sample)) continue;
    const was = earlier.get(seriesKey(sample)) ?? 0;
    sum += sample.value >= was ? sample.value - was : sample.value;
  }
  return sum;
}

function searchQuantileMs(q: number, previous: Scrape, current: Scrape): number | null {
  const name = "miroir_request_duration_seconds_bucket";
  const isSearch = (sample: Sample) => isSearchTemplate(sample.labels.path_template ?? "");
  const bounds = new Set(
    current.samples.filter((s) => s.name === name && isSearch(s)).map((s) => s.labels.le ?? ""),
  );
  const buckets: Bucket[] = [...bounds].map((le) => ({
    le: le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le),
    count: counterIncrease(
      previous.samples,
      current.samples,
      name,
      (sample) => isSearch(sample) && sample.labels.le === le,
    ),
  }));
  const seconds = histogramQuantile(q, buckets);
  return seconds === null ? null : seconds * 1000;
}
