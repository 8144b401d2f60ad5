/**
 * The part of Liquid that Meilisearch's document templates use: `{{ value | filter }}`
 * outputs, `{% for x in list %}`, `{% if %}`/`{% else %}` with `==`, `!=`, `<`, `>`, `<=`,
 * `>=`, `and`, `or`, `nil`, and a handful of string filters. Values render as Meilisearch's
 * Liquid renders them: `nil` as nothing, arrays and objects as their parts run together.
 */

export class LiquidParseError extends Error {}
export class LiquidRenderError extends Error {}

type Node =
  | { kind: "text"; text: string }
  | { kind: "output"; expr: string; filters: Filter[] }
  | { kind: "for"; variable: string; list: string; body: Node[] }
  | { kind: "if"; condition: string; whenTrue: Node[]; whenFalse: Node[] };

interface Filter {
  name: string;
  args: string[];
}

const FILTERS: Record<string, (value: unknown, args: unknown[]) => unknown> = {
  upcase: (v) => text(v).toUpperCase(),
  downcase: (v) => text(v).toLowerCase(),
  capitalize: (v) => {
    const s = text(v);
    return s.charAt(0).toUpperCase() + s.slice(1);
  },
  strip: (v) => text(v).trim(),
  lstrip: (v) => text(v).trimStart(),
  rstrip: (v) => text(v).trimEnd(),
  size: (v) => (Array.isArray(v) ? v.length : text(v).length),
  first: (v) => (Array.isArray(v) ? v[0] : text(v).charAt(0)),
  last: (v) => (Array.isArray(v) ? v[v.length - 1] : text(v).slice(-1)),
  join: (v, [sep]) => (Array.isArray(v) ? v.map(text).join(text(sep ?? " ")) : text(v)),
  default: (v, [fallback]) => (v === null || v === undefined || v === "" ? fallback : v),
  append: (v, [suffix]) => text(v) + text(suffix),
  prepend: (v, [prefix]) => text(prefix) + text(v),
};

/** How Liquid prints a value. */
export function text(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(text).join("");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => key + text(item))
      .join("");
  }
  return String(value);
}

function tokens(template: string): { kind: "text" | "output" | "tag"; body: string }[] {
  const out: { kind: "text" | "output" | "tag"; body: string }[] = [];
  let at = 0;
  while (at < template.length) {
    const start = template.slice(at).search(/\{\{|\{%/);
    if (start === -1) {
      out.push({ kind: "text", body: template.slice(at) });
      break;
    }
    if (start > 0) out.push({ kind: "text", body: template.slice(at, at + start) });
    const open = at + start;
    const isOutput = template.startsWith("{{", open);
    const close = template.indexOf(isOutput ? "}}" : "%}", open + 2);
    if (close === -1) {
      throw new LiquidParseError(`unclosed \`${isOutput ? "{{" : "{%"}\` at ${open + 1}`);
    }
    out.push({ kind: isOutput ? "output" : "tag", body: template.slice(open + 2, close).trim() });
    at = close + 2;
  }
  return out;
}

function parseOutput(body: string): Node {
  const [expr, ...filters] = body.split("|").map((part) => part.trim());
  if (expr === undefined || expr === "") throw new LiquidParseError("expected Literal");
  return {
    kind: "output",
    expr,
    filters: filters.map((filter) => {
      const [name = "", rest = ""] = filter.split(/:(.*)/s).map((part) => part.trim());
      if (!(name in FILTERS)) {
        throw new LiquidParseError(`Unknown filter\n  with:\n    requested filter=${name}`);
      }
      return { name, args: rest === "" ? [] : rest.split(",").map((arg) => arg.trim()) };
    }),
  };
}

/** Parses a template into nodes, or throws LiquidParseError. */
export function parseLiquid(template: string): Node[] {
  const stream = tokens(template);
  let at = 0;
  const block = (ends: string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (at < stream.length) {
      const token = stream[at++] as { kind: string; body: string };
      if (token.kind === "text") nodes.push({ kind: "text", text: token.body });
      else if (token.kind === "output") nodes.push(parseOutput(token.body));
      else {
        const [word = "", ...rest] = token.body.split(/\s+/);
        if (ends.includes(word)) return { nodes, end: word };
        if (word === "for" && rest[1] === "in" && rest[0] !== undefined && rest[2] !== undefined) {
          const body = block(["endfor"]);
          nodes.push({ kind: "for", variable: rest[0], list: rest[2], body: body.nodes });
        } else if (word === "if") {
          const whenTrue = block(["else", "endif"]);
          const whenFalse = whenTrue.end === "else" ? block(["endif"]).nodes : [];
          nodes.push({
            kind: "if",
            condition: rest.join(" "),
            whenTrue: whenTrue.nodes,
            whenFalse,
          });
        } else throw new LiquidParseError(`Unknown tag \`${word}\``);
      }
    }
    if (ends.length > 0) throw new LiquidParseError(`missing \`{% ${ends.at(-1)} %}\``);
    return { nodes, end: "" };
  };
  return block([]).nodes;
}

type Scope = Record<string, unknown>;

function lookup(expr: string, scope: Scope): unknown {
  if (/^".*"$|^'.*'$/.test(expr)) return expr.slice(1, -1);
  if (/^-?\d+(\.\d+)?$/.test(expr)) return Number(expr);
  if (expr === "nil" || expr === "null") return null;
  if (expr === "true" || expr === "false") return expr === "true";
  const [root = "", ...path] = expr.split(".");
  let value: unknown = scope[root];
  let name = root;
  for (const key of path) {
    const holder = value as Record<string, unknown> | null;
    if (typeof holder !== "object" || holder === null || !(key in holder)) {
      const available = typeof holder === "object" && holder !== null ? Object.keys(holder) : [];
      throw new LiquidRenderError(
        `Unknown index\n  with:\n    variable=${name}\n    requested index=${key}\n    available indexes=${available.join(", ")}\n`,
      );
    }
    value = holder[key];
    name = key;
  }
  return value;
}

function compare(left: unknown, op: string, right: unknown): boolean {
  switch (op) {
    case "==":
      return left === right || (left === undefined && right === null);
    case "!=":
      return !(left === right || (left === undefined && right === null));
    default: {
      const [l, r] = [Number(left), Number(right)];
      return op === "<" ? l < r : op === ">" ? l > r : op === "<=" ? l <= r : l >= r;
    }
  }
}

function truthy(condition: string, scope: Scope): boolean {
  const [first, connector, ...rest] = condition.split(/\s+(and|or)\s+/);
  const match = /^(.+?)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec((first ?? "").trim());
  const value = match
    ? compare(
        lookup(match[1] as string, scope),
        match[2] as string,
        lookup(match[3] as string, scope),
      )
    : ![null, undefined, false].includes(lookup((first ?? "").trim(), scope) as null);
  if (connector === undefined) return value;
  const others = truthy(rest.join(" "), scope);
  return connector === "and" ? value && others : value || others;
}

/** Renders parsed nodes with `doc`, `fields`… in scope; throws LiquidRenderError. */
export function renderLiquid(nodes: readonly Node[], scope: Scope): string {
  return nodes
    .map((node) => {
      switch (node.kind) {
        case "text":
          return node.text;
        case "output":
          return text(
            node.filters.reduce(
              (value, filter) =>
                (FILTERS[filter.name] as (v: unknown, a: unknown[]) => unknown)(
                  value,
                  filter.args.map((arg) => lookup(arg, scope)),
                ),
              lookup(node.expr, scope),
            ),
          );
        case "for": {
          const list = lookup(node.list, scope);
          return (Array.isArray(list) ? list : [])
            .map((item) => renderLiquid(node.body, { ...scope, [node.variable]: item }))
            .join("");
        }
        default:
          return renderLiquid(
            truthy(node.condition, scope) ? node.whenTrue : node.whenFalse,
            scope,
          );
      }
    })
    .join("");
}
