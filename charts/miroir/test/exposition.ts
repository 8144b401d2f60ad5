/** The series of a Prometheus text exposition, by metric name: every label set seen. */
export type Exposition = ReadonlyMap<string, readonly Readonly<Record<string, string>>[]>;

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+\S+/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): Exposition {
  const series = new Map<string, Record<string, string>[]>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const match = SAMPLE.exec(line.trim());
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? "").matchAll(LABEL)) {
      labels[label[1] as string] = (label[2] as string).replace(/\\(.)/g, "$1");
    }
    const name = match[1] as string;
    series.set(name, [...(series.get(name) ?? []), labels]);
  }
  return series;
}
