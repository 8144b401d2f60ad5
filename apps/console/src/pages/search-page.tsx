import { useEffect, useState } from "preact/hooks";
import { adminCall } from "../api/admin-api.js";
import type { IndexesView, IndexView } from "../api/admin-types.js";
import { usePolling } from "../api/use-polling.js";
import { ErrorNote } from "../components/error-note.js";
import { KeyForm } from "../components/key-form.js";
import { HitCard } from "../search/hit-card.js";
import { type SearchAnswer, search } from "../search/search-api.js";
import {
  type SearchState,
  searchBody,
  selectedValues,
  toggleFacet,
} from "../search/search-request.js";
import { searchKey } from "../session/keys.js";

const FIRST: SearchState = { q: "", selected: {}, sort: "", page: 1, hitsPerPage: 10 };
const TYPING_PAUSE_MS = 200;

/**
 * The search preview: the public search API, called as a client would, with a search
 * key the operator provides. Indexes and their filterable and sortable attributes come
 * from the admin API.
 */
export function SearchPage() {
  const [key, setKey] = useState<string | null>(searchKey.get() || null);
  const indexes = usePolling(() => adminCall<IndexesView>("indexes"), 30_000);
  const [indexUid, setIndexUid] = useState("");
  const [typed, setTyped] = useState("");
  const [state, setState] = useState<SearchState>(FIRST);
  const [answer, setAnswer] = useState<SearchAnswer | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const list = indexes.data?.results ?? [];
  const index: IndexView | undefined = list.find((entry) => entry.uid === indexUid) ?? list[0];

  useEffect(() => {
    const timer = setTimeout(
      () => setState((s) => (s.q === typed ? s : { ...s, q: typed, page: 1 })),
      TYPING_PAUSE_MS,
    );
    return () => clearTimeout(timer);
  }, [typed]);

  useEffect(() => {
    if (key === null || index === undefined) return;
    const abort = new AbortController();
    search(key, index.uid, searchBody(state, index.filterableAttributes), abort.signal).then(
      (found) => {
        setAnswer(found);
        setError(null);
      },
      (failure: Error) => {
        if (failure.name !== "AbortError") setError(failure);
      },
    );
    return () => abort.abort();
  }, [key, index?.uid, state, index]);

  if (key === null) {
    return (
      <>
        <h1>Search preview</h1>
        <KeyForm
          label="Search key"
          hint="A key with the search action, as your application uses. It stays in this tab only. Leave it empty when Miroir runs without a master key."
          onKey={(value) => {
            searchKey.set(value);
            setKey(value);
          }}
        />
      </>
    );
  }
  return (
    <>
      <h1>Search preview</h1>
      <ErrorNote error={indexes.error} />
      <search class="search-bar">
        <form onSubmit={(event) => event.preventDefault()}>
          <label for="search-index">Index</label>
          <select
            id="search-index"
            value={index?.uid ?? ""}
            onChange={(event) => {
              setIndexUid(event.currentTarget.value);
              setState({ ...FIRST, q: state.q });
            }}
          >
            {list.map((entry) => (
              <option key={entry.uid} value={entry.uid}>
                {entry.uid}
              </option>
            ))}
          </select>
          <label for="search-q">Search</label>
          <input
            id="search-q"
            type="search"
            value={typed}
            onInput={(event) => setTyped(event.currentTarget.value)}
          />
          <label for="search-sort">Sort</label>
          <select
            id="search-sort"
            value={state.sort}
            onChange={(event) => setState({ ...state, sort: event.currentTarget.value, page: 1 })}
          >
            <option value="">relevance</option>
            {(index?.sortableAttributes ?? []).flatMap((attribute) => [
              <option key={`${attribute}:asc`} value={`${attribute}:asc`}>
                {attribute} ascending
              </option>,
              <option key={`${attribute}:desc`} value={`${attribute}:desc`}>
                {attribute} descending
              </option>,
            ])}
          </select>
          <label for="search-per-page">Per page</label>
          <select
            id="search-per-page"
            value={state.hitsPerPage}
            onChange={(event) =>
              setState({ ...state, hitsPerPage: Number(event.currentTarget.value), page: 1 })
            }
          >
            {[10, 20, 50].map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </form>
      </search>
      <button
        type="button"
        class="secondary small"
        onClick={() => {
          searchKey.clear();
          setKey(null);
        }}
      >
        Change the search key
      </button>
      <ErrorNote error={error} />
      {list.length === 0 && indexes.data !== null ? <p>No index to search yet.</p> : null}
      {answer === null || index === undefined ? null : (
        <div class="search-results">
          <aside aria-label="Facets" class="facets">
            {Object.entries(answer.facetDistribution ?? {}).map(([attribute, values]) => (
              <fieldset key={attribute} data-facet={attribute}>
                <legend>{attribute}</legend>
                {Object.entries(values).map(([value, count]) => {
                  const id = `facet-${attribute}-${value}`.replace(/[^\w-]/g, "_");
                  return (
                    <div key={value} class="facet-value">
                      <input
                        id={id}
                        type="checkbox"
                        checked={selectedValues(state, attribute).includes(value)}
                        onChange={() => setState(toggleFacet(state, attribute, value))}
                      />
                      <label for={id}>
                        {value} <span class="count">({count})</span>
                      </label>
                    </div>
                  );
                })}
              </fieldset>
            ))}
          </aside>
          <section aria-label="Results">
            <p class="note" aria-live="polite" data-field="total-hits">
              {answer.totalHits} result(s) · page {answer.page} of {Math.max(answer.totalPages, 1)}{" "}
              · {answer.processingTimeMs} ms
            </p>
            <ol class="hits">
              {answer.hits.map((hit, position) => (
                <HitCard key={position} hit={hit} primaryKey={index.primaryKey} />
              ))}
            </ol>
            <div class="pager">
              <button
                type="button"
                class="secondary"
                disabled={state.page <= 1}
                onClick={() => setState({ ...state, page: state.page - 1 })}
              >
                Previous page
              </button>
              <button
                type="button"
                class="secondary"
                disabled={state.page >= answer.totalPages}
                onClick={() => setState({ ...state, page: state.page + 1 })}
              >
                Next page
              </button>
            </div>
          </section>
        </div>
      )}
    </>
  );
}
