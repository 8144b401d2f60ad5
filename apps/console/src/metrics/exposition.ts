/** One sample of the Prometheus text exposition. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/y;

/**
 * Parses the text that `/_miroir/metrics` answers (Prometheus exposition format 0.0.4):
 * comments are skipped, label values unescaped, `NaN`/`+Inf`/`-Inf` understood. A line
 * that does not parse is skipped rather than failing the whole scrape.
 */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = SAMPLE.exec(line);
    if (match === null) continue;
    const labels = parseLabels(match[3] ?? "");
    const value = parseValue(match[4] ?? "");
    if (labels === null || value === null) continue;
    samples.push({ name: match[1] as string, labels, value });
  }
  return samples;
}

function parseLabels(text: string): Record<string, string> | null {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  let position = 0;
  while (position < text.length) {
    LABEL.lastIndex = position;
    const match = LABEL.exec(text);
    if (match === null) return null;
    labels[match[1] as string] = unescapeLabel(match[2] as string);
    position = LABEL.lastIndex;
  }
  return labels;
}

function unescapeLabel(value: string): string {
  return value.replace(/\\(.)/g, (_, char: string) => (char === "n" ? "\n" : char));
}

function parseValue(text: string): number | null {
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  if (text === "NaN") return Number.NaN;
  const value = Number(text);
  return Number.isNaN(value) ? null : value;
}
