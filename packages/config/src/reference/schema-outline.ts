import { miroirConfigSchema } from "../schema/miroir-config.js";

/** The parts of a valibot schema object that the outline reads. */
type SchemaNode = {
  type: string;
  expects?: string;
  wrapped?: SchemaNode;
  default?: unknown;
  pipe?: readonly { type: string; description?: string; requirement?: unknown }[];
  entries?: Readonly<Record<string, SchemaNode>>;
  item?: SchemaNode;
  value?: SchemaNode;
  options?: readonly unknown[];
  literal?: unknown;
  key?: string;
};

export type SettingKind =
  | "string"
  | "integer"
  | "number"
  | "boolean"
  | "enum"
  | "list"
  | "map"
  | "section";

/** One key of the configuration as the reference, the examples and the env reader see it. */
export type SettingOutline = {
  path: readonly string[];
  kind: SettingKind;
  description: string;
  required: boolean;
  nullable: boolean;
  fallback: unknown;
  allowed: readonly string[];
  min: number | undefined;
  max: number | undefined;
  /** Keys of a section, or of each item of a list of mappings. */
  children: readonly SettingOutline[];
  /** For a list whose items take one of several shapes: each shape's tag and keys. */
  shapes: readonly { tag: string; children: readonly SettingOutline[] }[];
};

const ROOT = miroirConfigSchema as unknown as SchemaNode;

/** Every top-level key of the configuration, in schema order, with their sub-keys. */
export function configurationOutline(): readonly SettingOutline[] {
  cachedOutline ??= outlineEntries(ROOT, []);
  return cachedOutline;
}

let cachedOutline: readonly SettingOutline[] | undefined;

/** The names of the keys accepted at a path of mappings, for "did you mean" hints. */
export function keysAt(path: readonly (string | number)[]): string[] {
  let node: SchemaNode | undefined = ROOT;
  for (const segment of path) {
    if (node === undefined) return [];
    const inner = unwrap(node);
    node = typeof segment === "number" ? inner.item : inner.entries?.[segment];
  }
  return node === undefined ? [] : Object.keys(unwrap(node).entries ?? {});
}

/** The outline of the key at a path; list indices match the `[]` of list items. */
export function outlineAt(path: readonly (string | number)[]): SettingOutline | undefined {
  const wanted = path.map((segment) => (typeof segment === "number" ? "[]" : segment)).join(".");
  return flattenOutline(configurationOutline()).find((entry) => entry.path.join(".") === wanted);
}

/** Every outline entry, depth first, including the sub-keys of list items. */
export function flattenOutline(outline: readonly SettingOutline[]): SettingOutline[] {
  return outline.flatMap((entry) => [entry, ...flattenOutline(entry.children)]);
}

function outlineEntries(node: SchemaNode, path: readonly string[]): SettingOutline[] {
  return Object.entries(node.entries ?? {}).map(([key, child]) => outlineOf(child, [...path, key]));
}

function outlineOf(node: SchemaNode, path: readonly string[]): SettingOutline {
  const required = node.type !== "optional";
  const afterOptional = required ? node : (node.wrapped ?? node);
  const nullable = afterOptional.type === "nullable";
  const inner = nullable ? (afterOptional.wrapped ?? afterOptional) : afterOptional;
  const actions = [...(node.pipe ?? []), ...(afterOptional.pipe ?? []), ...(inner.pipe ?? [])];
  const description = actions.find((action) => action.type === "description")?.description ?? "";
  const bound = (type: string) => {
    const requirement = actions.find((action) => action.type === type)?.requirement;
    return typeof requirement === "number" ? requirement : undefined;
  };
  const base = {
    path,
    description,
    required,
    nullable,
    fallback: required ? undefined : node.default,
    min: bound("min_value"),
    max: bound("max_value"),
    shapes: [],
  };
  switch (inner.type) {
    case "strict_object":
      return { ...base, kind: "section", allowed: [], children: outlineEntries(inner, path) };
    case "array": {
      const item = inner.item ?? inner;
      const children = item.type === "strict_object" ? outlineEntries(item, [...path, "[]"]) : [];
      const allowed = item.type === "picklist" ? optionsOf(item) : [];
      const shapes = item.type === "variant" ? shapesOf(item, [...path, "[]"]) : [];
      return { ...base, kind: "list", allowed, children, shapes };
    }
    case "picklist":
      return { ...base, kind: "enum", allowed: optionsOf(inner), children: [] };
    case "literal":
      return { ...base, kind: "enum", allowed: [String(inner.literal)], children: [] };
    case "number": {
      const integer = actions.some((action) => action.type === "integer");
      return { ...base, kind: integer ? "integer" : "number", allowed: [], children: [] };
    }
    case "record":
      return { ...base, kind: "map", allowed: [], children: [] };
    case "boolean":
      return { ...base, kind: "boolean", allowed: [], children: [] };
    default:
      return { ...base, kind: "string", allowed: [], children: [] };
  }
}

function shapesOf(variant: SchemaNode, path: readonly string[]) {
  const tagKey = variant.key ?? "type";
  return (variant.options as readonly SchemaNode[]).map((option) => ({
    tag: String(option.entries?.[tagKey]?.literal),
    children: outlineEntries(option, path),
  }));
}

function unwrap(node: SchemaNode): SchemaNode {
  let current = node;
  while ((current.type === "optional" || current.type === "nullable") && current.wrapped) {
    current = current.wrapped;
  }
  return current;
}

function optionsOf(node: SchemaNode): string[] {
  return (node.options ?? []).map(String);
}
