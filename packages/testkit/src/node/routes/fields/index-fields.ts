import {
  anyPatternCovers,
  type Document,
  type FilterableAttributeRule,
  patternCovers,
  type Settings,
} from "../../../engine/index.js";

/** One field of `POST /indexes/{uid}/fields`, in Meilisearch's shape. */
export interface IndexField {
  name: string;
  displayed: { enabled: boolean };
  searchable: { enabled: boolean };
  sortable: { enabled: boolean };
  distinct: { enabled: boolean };
  /** `order` only when a ranking rule sorts on the field. */
  rankingRule: { enabled: boolean; order?: "asc" | "desc" };
  filterable: {
    enabled: boolean;
    sortBy: string;
    facetSearch: boolean;
    equality: boolean;
    comparison: boolean;
  };
  localized: { locales: string[] };
}

/** Every field name of the documents, nested ones as dotted paths, in first-seen order. */
export function fieldNames(documents: Iterable<Document>): string[] {
  const names = new Set<string>();
  const visit = (value: unknown, prefix: string) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const name = prefix === "" ? key : `${prefix}.${key}`;
      names.add(name);
      visit(child, name);
    }
  };
  for (const document of documents) visit(document, "");
  return [...names];
}

/** What the index's settings say about one field. */
export function indexField(name: string, settings: Settings): IndexField {
  const filter = filterFeatures(name, settings.filterableAttributes);
  const ranking = settings.rankingRules
    .map((rule) => /^(.+):(asc|desc)$/.exec(rule))
    .find((match) => match?.[1] === name);
  const sortBy = settings.faceting.sortFacetValuesBy;
  return {
    name,
    displayed: { enabled: anyPatternCovers(settings.displayedAttributes, name) },
    searchable: { enabled: anyPatternCovers(settings.searchableAttributes, name) },
    sortable: { enabled: anyPatternCovers(settings.sortableAttributes, name) },
    distinct: { enabled: settings.distinctAttribute === name },
    rankingRule:
      ranking?.[2] === undefined
        ? { enabled: false }
        : { enabled: true, order: ranking[2] as "asc" | "desc" },
    filterable: {
      enabled: filter.equality || filter.comparison || filter.facetSearch,
      sortBy: sortBy[name] ?? sortBy["*"] ?? "alpha",
      ...filter,
    },
    localized: { locales: localesOf(name, settings.localizedAttributes) },
  };
}

function filterFeatures(name: string, rules: readonly FilterableAttributeRule[]) {
  for (const rule of rules) {
    if (typeof rule === "string") {
      // A plain pattern allows everything, as Meilisearch's legacy rules do.
      if (patternCovers(rule, name)) return { facetSearch: true, equality: true, comparison: true };
    } else if (anyPatternCovers(rule.attributePatterns, name)) {
      return {
        facetSearch: rule.features?.facetSearch ?? false,
        equality: rule.features?.filter?.equality ?? true,
        comparison: rule.features?.filter?.comparison ?? false,
      };
    }
  }
  return { facetSearch: false, equality: false, comparison: false };
}

function localesOf(name: string, rules: readonly unknown[] | null): string[] {
  for (const rule of rules ?? []) {
    const { attributePatterns, locales } = rule as {
      attributePatterns?: string[];
      locales?: string[];
    };
    if (anyPatternCovers(attributePatterns ?? [], name)) return [...(locales ?? [])];
  }
  return [];
}
