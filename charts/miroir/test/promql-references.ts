/**
 * What a PromQL expression (or a Grafana legend, or an alert annotation) asks of the
 * metrics: the series it selects with their label matchers, and the labels it groups by
 * or prints. Enough of PromQL for the dashboard's and the alerts' expressions; Grafana's
 * variables are replaced by what they stand for.
 */
export interface Matcher {
  readonly label: string;
  readonly op: "=" | "!=" | "=~" | "!~";
  readonly value: string;
}

export interface SeriesReference {
  readonly metric: string;
  readonly matchers: readonly Matcher[];
}

export interface ExpressionReferences {
  /** Where the expression was found, for failure messages. */
  readonly where: string;
  readonly series: readonly SeriesReference[];
  /** Labels named by `by (…)`/`without (…)`, a legend's `{{label}}` or `$labels.label`. */
  readonly usedLabels: readonly string[];
}

const GRAFANA_VARIABLES: Readonly<Record<string, string>> = {
  $__rate_interval: "5m",
  $__interval: "1m",
  $namespace: ".*",
};

const SELECTOR = /\b(miroir_[a-zA-Z0-9_]+)\s*(\{([^}]*)\})?/g;
const MATCHER = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g;
const GROUPING = /\b(?:by|without)\s*\(([^)]*)\)/g;
const TEMPLATE_LABEL = /\{\{\s*(?:\$labels\.)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g;

export function expressionReferences(
  where: string,
  expression: string,
  printed: readonly string[] = [],
): ExpressionReferences {
  let text = expression;
  for (const [variable, value] of Object.entries(GRAFANA_VARIABLES)) {
    text = text.split(variable).join(value);
  }
  const series = [...text.matchAll(SELECTOR)].map((match) => ({
    metric: match[1] as string,
    matchers: [...(match[3] ?? "").matchAll(MATCHER)].map((m) => ({
      label: m[1] as string,
      op: m[2] as Matcher["op"],
      value: (m[3] as string).replace(/\\(.)/g, "$1"),
    })),
  }));
  const grouped = [...text.matchAll(GROUPING)].flatMap((match) =>
    (match[1] as string)
      .split(",")
      .map((label) => label.trim())
      .filter((label) => label !== ""),
  );
  const shown = printed.flatMap((line) =>
    [...line.matchAll(TEMPLATE_LABEL)].map((match) => match[1] as string),
  );
  return { where, series, usedLabels: [...new Set([...grouped, ...shown])] };
}
