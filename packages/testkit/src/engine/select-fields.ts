import { patternCovers } from "./attribute-pattern.js";
import type { Document } from "./document.js";

/**
 * The document reduced to the attributes both `fields` (attributesToRetrieve, `fields`;
 * absent means all) and `displayed` (displayedAttributes) allow. Dotted paths keep the
 * nesting (`a.b` keeps `{a: {b}}`, through arrays of objects); `*` allows everything.
 */
export function selectFields(
  doc: Document,
  fields: readonly string[] | undefined,
  displayed: readonly string[] = ["*"],
): Document {
  const wanted = fields ?? ["*"];
  if (wanted.includes("*") && displayed.includes("*")) return { ...doc };
  return pick(doc, "", [wanted, displayed]) ?? {};
}

function pick(
  object: Document,
  prefix: string,
  sets: ReadonlyArray<readonly string[]>,
): Document | undefined {
  const kept: Document = {};
  let any = false;
  for (const [key, value] of Object.entries(object)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (sets.every((patterns) => patterns.some((pattern) => patternCovers(pattern, path)))) {
      kept[key] = value;
      any = true;
      continue;
    }
    const descend = sets.every((patterns) =>
      patterns.some((pattern) => patternCovers(pattern, path) || mayCoverInside(pattern, path)),
    );
    if (!descend) continue;
    const inner = pickInside(value, path, sets);
    if (inner !== undefined) {
      kept[key] = inner;
      any = true;
    }
  }
  return any ? kept : undefined;
}

function pickInside(value: unknown, path: string, sets: ReadonlyArray<readonly string[]>): unknown {
  if (Array.isArray(value)) {
    const items = value
      .filter((item) => typeof item === "object" && item !== null && !Array.isArray(item))
      .map((item) => pick(item as Document, path, sets))
      .filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === "object" && value !== null) return pick(value as Document, path, sets);
  return undefined;
}

function mayCoverInside(pattern: string, path: string): boolean {
  return pattern.includes("*") || pattern.startsWith(`${path}.`);
}
