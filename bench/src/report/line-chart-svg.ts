import { escapeXml, formatValue } from "./bar-chart-svg.js";
import type { CurvePoint } from "./cost-curve.js";
import { type GrowthFit, predict } from "./growth-fit.js";

/** A line chart as a standalone SVG document, with no dependency: measured points and fits. */
export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xScale: "linear" | "log2";
  readonly series: readonly {
    readonly label: string;
    readonly points: readonly CurvePoint[];
    /** Drawn dashed over the series' range, in its colour. */
    readonly fit?: GrowthFit;
  }[];
}

const WIDTH = 760;
const HEIGHT = 420;
const LEFT = 80;
const RIGHT = 24;
const TOP = 74;
const BOTTOM = 56;
const COLOURS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"];

/** About five round tick values from 0 to at least `max`. */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks = [0];
  while ((ticks.at(-1) as number) < max) {
    ticks.push(Number((ticks.length * step).toPrecision(12)));
  }
  return ticks;
}

export function lineChartSvg(chart: LineChart): string {
  const points = chart.series.flatMap((series) => series.points);
  const xs = points.map((point) => point.x);
  const scaleX = chart.xScale === "log2" ? (x: number) => Math.log2(x) : (x: number) => x;
  const xMin = scaleX(Math.min(...xs));
  const xMax = scaleX(Math.max(...xs));
  const fitted = chart.series.flatMap((series) =>
    series.fit === undefined
      ? []
      : series.points.map((point) => predict(series.fit as GrowthFit, point.x)),
  );
  const yTicks = niceTicks(Math.max(...points.map((point) => point.y), ...fitted));
  const yMax = yTicks.at(-1) as number;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const px = (x: number) =>
    LEFT + (xMax === xMin ? plotWidth / 2 : ((scaleX(x) - xMin) / (xMax - xMin)) * plotWidth);
  const py = (y: number) => TOP + plotHeight - (Math.max(0, y) / yMax) * plotHeight;

  const parts: string[] = [];
  for (const tick of yTicks) {
    const y = py(tick).toFixed(1);
    parts.push(
      `<line x1="${LEFT}" y1="${y}" x2="${WIDTH - RIGHT}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${LEFT - 6}" y="${(Number(y) + 4).toFixed(1)}" text-anchor="end">${escapeXml(formatValue(tick))}</text>`,
    );
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    const at = px(x).toFixed(1);
    parts.push(
      `<line x1="${at}" y1="${TOP + plotHeight}" x2="${at}" y2="${TOP + plotHeight + 4}" stroke="#333"/>`,
      `<text x="${at}" y="${TOP + plotHeight + 18}" text-anchor="middle">${escapeXml(formatValue(x))}</text>`,
    );
  }
  parts.push(
    `<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + plotHeight}" stroke="#333"/>`,
    `<line x1="${LEFT}" y1="${TOP + plotHeight}" x2="${WIDTH - RIGHT}" y2="${TOP + plotHeight}" stroke="#333"/>`,
    `<text x="${LEFT + plotWidth / 2}" y="${HEIGHT - 14}" text-anchor="middle">${escapeXml(chart.xLabel)}${chart.xScale === "log2" ? " (log scale)" : ""}</text>`,
    `<text x="18" y="${TOP + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 18 ${TOP + plotHeight / 2})">${escapeXml(chart.yLabel)}</text>`,
  );
  chart.series.forEach((series, index) => {
    const colour = COLOURS[index % COLOURS.length] as string;
    const sorted = [...series.points].sort((a, b) => a.x - b.x);
    const path = sorted.map((point) => `${px(point.x).toFixed(1)},${py(point.y).toFixed(1)}`);
    parts.push(
      `<polyline points="${path.join(" ")}" fill="none" stroke="${colour}" stroke-width="2"/>`,
    );
    for (const point of sorted) {
      parts.push(
        `<circle cx="${px(point.x).toFixed(1)}" cy="${py(point.y).toFixed(1)}" r="3.5" fill="${colour}"/>`,
      );
    }
    if (series.fit !== undefined && sorted.length > 0) {
      const from = scaleX((sorted[0] as CurvePoint).x);
      const to = scaleX((sorted.at(-1) as CurvePoint).x);
      const samples = Array.from({ length: 41 }, (_, i) => {
        const scaled = from + ((to - from) * i) / 40;
        const x = chart.xScale === "log2" ? 2 ** scaled : scaled;
        return `${px(x).toFixed(1)},${py(predict(series.fit as GrowthFit, x)).toFixed(1)}`;
      });
      parts.push(
        `<polyline points="${samples.join(" ")}" fill="none" stroke="${colour}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
      );
    }
    const legendY = 44 + 16 * Math.floor(index / 2);
    const legendX = 10 + 370 * (index % 2);
    const legend =
      series.fit === undefined ? series.label : `${series.label} (dashed: ${series.fit.model} fit)`;
    parts.push(
      `<line x1="${legendX}" y1="${legendY - 4}" x2="${legendX + 22}" y2="${legendY - 4}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${legendX + 28}" y="${legendY}">${escapeXml(legend)}</text>`,
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}
