/** Marks Meilisearch puts around matched words: private-use characters no document holds. */
export const HIGHLIGHT_START = "\uE000";
export const HIGHLIGHT_END = "\uE001";

/** What the operator chose in the search preview. */
export interface SearchState {
  readonly q: string;
  /** attribute → the values ticked (OR within an attribute, AND across attributes). */
  readonly selected: Readonly<Record<string, readonly string[]>>;
  /** `attribute:asc` / `attribute:desc`, or "" for relevance. */
  readonly sort: string;
  readonly page: number;
  readonly hitsPerPage: number;
}

/** The body of `POST /indexes/{uid}/search`, as any Meilisearch client would send it. */
export function searchBody(state: SearchState, facets: readonly string[]): Record<string, unknown> {
  const filter = filterOf(state.selected);
  return {
    q: state.q,
    page: state.page,
    hitsPerPage: state.hitsPerPage,
    facets: facets.length > 0 ? facets : ["*"],
    attributesToHighlight: ["*"],
    highlightPreTag: HIGHLIGHT_START,
    highlightPostTag: HIGHLIGHT_END,
    ...(filter.length > 0 ? { filter } : {}),
    ...(state.sort !== "" ? { sort: [state.sort] } : {}),
  };
}

/** Meilisearch's array filter form: inner arrays are ORed, the outer array ANDed. */
export function filterOf(selected: SearchState["selected"]): string[][] {
  return Object.entries(selected)
    .filter(([, values]) => values.length > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([attribute, values]) =>
      values.map((value) => `${quoteAttribute(attribute)} = ${quoteValue(value)}`),
    );
}

/** An attribute name is written as is unless it needs quoting (spaces, quotes…). */
function quoteAttribute(name: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(name) ? name : quoteValue(name);
}

function quoteValue(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The values ticked for an attribute (own entries only: an attribute may be named `constructor`). */
export function selectedValues(state: SearchState, attribute: string): readonly string[] {
  return Object.hasOwn(state.selected, attribute) ? (state.selected[attribute] ?? []) : [];
}

/** Ticks or unticks one facet value; the page goes back to the first. */
export function toggleFacet(state: SearchState, attribute: string, value: string): SearchState {
  const current = selectedValues(state, attribute);
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  return { ...state, page: 1, selected: { ...state.selected, [attribute]: next } };
}

/** One piece of a highlighted value: matched or not. */
export interface TextPiece {
  readonly text: string;
  readonly match: boolean;
}

/** Splits a `_formatted` string at the highlight marks, so it renders as text, never HTML. */
export function highlightPieces(formatted: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let rest = formatted;
  while (rest.length > 0) {
    const start = rest.indexOf(HIGHLIGHT_START);
    if (start < 0) {
      pieces.push({ text: rest, match: false });
      break;
    }
    if (start > 0) pieces.push({ text: rest.slice(0, start), match: false });
    const end = rest.indexOf(HIGHLIGHT_END, start + 1);
    const stop = end < 0 ? rest.length : end;
    const matched = rest.slice(start + 1, stop);
    if (matched.length > 0) pieces.push({ text: matched, match: true });
    rest = end < 0 ? "" : rest.slice(end + 1);
  }
  return pieces;
}
