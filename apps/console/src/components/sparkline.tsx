const WIDTH = 240;
const HEIGHT = 48;

/**
 * A small line chart of the last values (oldest first), drawn with SVG attributes only
 * (no inline style, which the page's Content-Security-Policy forbids). Missing values
 * (`null`) break the line.
 */
export function Sparkline({
  title,
  values,
  unit,
  digits = 1,
}: {
  title: string;
  values: readonly (number | null)[];
  unit: string;
  digits?: number;
}) {
  const known = values.filter((value): value is number => value !== null && Number.isFinite(value));
  const max = Math.max(1e-9, ...known);
  const step = values.length > 1 ? WIDTH / (values.length - 1) : WIDTH;
  const segments: string[] = [];
  let current: string[] = [];
  values.forEach((value, position) => {
    if (value === null || !Number.isFinite(value)) {
      if (current.length > 0) segments.push(current.join(" "));
      current = [];
      return;
    }
    const x = (position * step).toFixed(1);
    const y = (HEIGHT - 2 - (value / max) * (HEIGHT - 4)).toFixed(1);
    current.push(`${x},${y}`);
  });
  if (current.length > 0) segments.push(current.join(" "));
  const last = values.at(-1);
  const shown = last === null || last === undefined ? "–" : `${last.toFixed(digits)} ${unit}`;
  return (
    <figure class="sparkline">
      <figcaption>
        <span>{title}</span>
        <strong>{shown}</strong>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${title}: ${shown} now, highest ${known.length > 0 ? max.toFixed(digits) : "–"} ${unit} over the window`}
      >
        <line class="sparkline-axis" x1="0" y1={HEIGHT - 1} x2={WIDTH} y2={HEIGHT - 1} />
        {segments.map((points) => (
          <polyline key={points} class="sparkline-line" points={points} />
        ))}
      </svg>
    </figure>
  );
}
