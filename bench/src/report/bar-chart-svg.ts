/** A horizontal bar chart as a standalone SVG document, with no dependency. */
export interface BarChart {
  readonly title: string;
  readonly unit: string;
  readonly groups: readonly BarGroup[];
  /** A vertical dashed line, e.g. a target. */
  readonly reference?: { readonly label: string; readonly value: number };
}

export interface BarGroup {
  readonly label: string;
  readonly bars: readonly {
    readonly label: string;
    readonly value: number;
    /** Bars of one series share a colour (default: bars with the same label do). */
    readonly series?: string;
  }[];
}

const WIDTH = 760;
const LABEL_WIDTH = 230;
const VALUE_WIDTH = 90;
const BAR_HEIGHT = 16;
const BAR_GAP = 4;
const GROUP_GAP = 14;
const TOP = 44;
const COLOURS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"];

export function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/** Formats a value with 3 significant digits (and thousands separators above 1 000). */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return "–";
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  return Number(value.toPrecision(3)).toString();
}

export function barChartSvg(chart: BarChart): string {
  const values = chart.groups.flatMap((group) => group.bars.map((bar) => bar.value));
  const finite = values.filter(Number.isFinite);
  const max = Math.max(1e-9, ...finite, chart.reference?.value ?? 0);
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20;
  const x = (value: number) => LABEL_WIDTH + (Math.max(0, value) / max) * plotWidth;
  const seriesOf = (bar: BarGroup["bars"][number]) => bar.series ?? bar.label;
  const legend = [...new Set(chart.groups.flatMap((group) => group.bars.map(seriesOf)))];
  const colour = (series: string) => COLOURS[legend.indexOf(series) % COLOURS.length] as string;

  const parts: string[] = [];
  let y = TOP;
  for (const group of chart.groups) {
    parts.push(`<text x="10" y="${y + 12}" font-weight="bold">${escapeXml(group.label)}</text>`);
    y += BAR_HEIGHT + BAR_GAP;
    for (const bar of group.bars) {
      const end = Number.isFinite(bar.value) ? x(bar.value) : LABEL_WIDTH;
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y + 12}" text-anchor="end">${escapeXml(bar.label)}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${(end - LABEL_WIDTH).toFixed(1)}" height="${BAR_HEIGHT}" fill="${colour(seriesOf(bar))}"/>`,
        `<text x="${(end + 6).toFixed(1)}" y="${y + 12}">${escapeXml(`${formatValue(bar.value)} ${chart.unit}`)}</text>`,
      );
      y += BAR_HEIGHT + BAR_GAP;
    }
    y += GROUP_GAP;
  }
  if (chart.reference !== undefined) {
    const at = x(chart.reference.value).toFixed(1);
    parts.push(
      `<line x1="${at}" y1="${TOP - 8}" x2="${at}" y2="${y - GROUP_GAP}" stroke="#333" stroke-dasharray="4 3"/>`,
      `<text x="${at}" y="${TOP - 12}" text-anchor="middle">${escapeXml(chart.reference.label)}</text>`,
    );
  }
  const height = y + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}
