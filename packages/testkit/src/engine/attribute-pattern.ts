import type { FilterableAttributeRule } from "./settings.js";

/**
 * Whether `attribute` is covered by `pattern` as Meilisearch reads attribute patterns:
 * an exact name, a parent object (`doggos` covers `doggos.age`), or `*` wildcards at
 * the start and/or end (`doggos.*`, `*_id`, `*`).
 */
export function patternCovers(pattern: string, attribute: string): boolean {
  if (pattern === "*" || pattern === attribute) return true;
  if (attribute.startsWith(`${pattern}.`)) return true;
  const starts = pattern.startsWith("*");
  const ends = pattern.endsWith("*");
  if (!starts && !ends) return false;
  const core = pattern.slice(starts ? 1 : 0, ends ? -1 : undefined);
  if (starts && ends) return attribute.includes(core);
  if (ends) return attribute.startsWith(core);
  return attribute.endsWith(core);
}

export function anyPatternCovers(patterns: readonly string[], attribute: string): boolean {
  return patterns.some((pattern) => patternCovers(pattern, attribute));
}

/** The patterns of the filterable-attribute rules that allow filtering. */
export function filterablePatterns(rules: readonly FilterableAttributeRule[]): string[] {
  const patterns: string[] = [];
  for (const rule of rules) {
    if (typeof rule === "string") {
      patterns.push(rule);
    } else {
      const filter = rule.features?.filter;
      const filters =
        filter === undefined || filter.equality !== false || filter.comparison === true;
      if (filters) patterns.push(...rule.attributePatterns);
    }
  }
  return patterns;
}

/** The patterns of the filterable-attribute rules that allow facet search. */
export function facetSearchablePatterns(rules: readonly FilterableAttributeRule[]): string[] {
  const patterns: string[] = [];
  for (const rule of rules) {
    if (typeof rule === "string") patterns.push(rule);
    else if (rule.features?.facetSearch !== false) patterns.push(...rule.attributePatterns);
  }
  return patterns;
}
