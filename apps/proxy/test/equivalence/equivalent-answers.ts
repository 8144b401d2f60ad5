import { expect } from "vitest";

type Answer = Record<string, unknown>;
type Hit = Record<string, unknown>;

export interface Window {
  readonly offset: number;
  readonly limit: number;
}

/** The window a search body asks for, clamped as Meilisearch clamps it. */
export function windowOf(body: Record<string, unknown>, maxTotalHits = 1000): Window {
  const page = body.page as number | undefined;
  const hitsPerPage = body.hitsPerPage as number | undefined;
  if (page !== undefined || hitsPerPage !== undefined) {
    const perPage = hitsPerPage ?? 20;
    const current = page ?? 1;
    const offset = current === 0 ? 0 : Math.min((current - 1) * perPage, maxTotalHits);
    return { offset, limit: current === 0 ? 0 : Math.min(perPage, maxTotalHits - offset) };
  }
  const offset = Math.min((body.offset as number | undefined) ?? 0, maxTotalHits);
  return {
    offset,
    limit: Math.min((body.limit as number | undefined) ?? 20, maxTotalHits - offset),
  };
}

/**
 * What the single node says about the hits: the ranking key at every position of the
 * client's window (equal keys are ties, in any order), and for each document Miroir
 * returned, its key and the hit as the single node shows it.
 */
export interface SingleNodeRanking {
  readonly keysByPosition: readonly string[];
  readonly byId: ReadonlyMap<unknown, { key: string; hit: Hit }>;
}

/** Meilisearch names each search request with a UUID v7 (time first). */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** How an answer's fields are compared. */
export interface Comparison {
  /**
   * For a distinct search no ranking rule orders (a placeholder without sort), the bounds
   * of `estimatedTotalHits`: which documents stand for their values is the order of a
   * node's internal ids (docs/compatibility.md), so the estimate is only bounded by the
   * exhaustive count and the number of candidates.
   */
  readonly unrankedDistinct?: { readonly exact: number; readonly candidates: number };
  /** The index a facet distribution belongs to (undefined: the answer's own index). */
  readonly countSorted: (index: string | undefined, facet: string) => boolean;
}

/**
 * Every field but the hits (and the time) equal, `requestUid` by presence and format (each
 * request gets a new one). In a count-sorted facet,
 * the values with the lowest count kept are ties: a node picks among them by the shape of
 * its facet tree, so only how many there are must be equal.
 */
export function expectSameFields(
  label: string,
  miroir: Answer,
  single: Answer,
  comparison: Comparison,
): void {
  const bounds = comparison.unrankedDistinct;
  if (bounds === undefined) {
    expect(withoutHits(miroir, comparison), label).toEqual(withoutHits(single, comparison));
    return;
  }
  const estimate = miroir.estimatedTotalHits;
  expect(typeof estimate, `${label}: ${JSON.stringify(withoutHits(miroir, comparison))}`).toBe(
    "number",
  );
  expect(estimate as number, `${label}: estimate`).toBeGreaterThanOrEqual(bounds.exact);
  expect(estimate as number, `${label}: estimate`).toBeLessThanOrEqual(bounds.candidates);
  const { estimatedTotalHits: _miroir, ...miroirRest } = withoutHits(miroir, comparison);
  const { estimatedTotalHits: _single, ...singleRest } = withoutHits(single, comparison);
  expect(miroirRest, label).toEqual(singleRest);
}

type Distribution = Record<string, Record<string, number>>;

function withTies(
  distribution: Distribution,
  index: string | undefined,
  comparison: Comparison,
): Distribution {
  const compared: Distribution = {};
  for (const [facet, values] of Object.entries(distribution)) {
    const counts = Object.values(values);
    if (!comparison.countSorted(index, facet) || counts.length === 0) {
      compared[facet] = values;
      continue;
    }
    const lowest = Math.min(...counts);
    const kept = Object.entries(values).filter(([, count]) => count > lowest);
    compared[facet] = Object.fromEntries([
      ...kept,
      [`(values with count ${lowest})`, counts.length - kept.length],
    ]);
  }
  return compared;
}

function withoutHits(answer: Answer, comparison: Comparison): Answer {
  const { hits: _hits, processingTimeMs: _time, ...rest } = answer;
  if (rest.facetDistribution !== undefined) {
    rest.facetDistribution = withTies(
      rest.facetDistribution as Distribution,
      undefined,
      comparison,
    );
  }
  if (rest.facetsByIndex !== undefined) {
    const byIndex = rest.facetsByIndex as Record<string, { distribution: Distribution }>;
    rest.facetsByIndex = Object.fromEntries(
      Object.entries(byIndex).map(([index, facets]) => [
        index,
        { ...facets, distribution: withTies(facets.distribution, index, comparison) },
      ]),
    );
  }
  if (typeof rest.requestUid === "string" && UUID_V7.test(rest.requestUid)) {
    rest.requestUid = "a UUID v7";
  }
  return rest;
}

/**
 * Asserts that Miroir's answer is the single node's: every field but the hits equal, the
 * same number of hits, no document twice, and at each position a hit ranked exactly like
 * the single node's hit at that position (so the order is the same up to ties), shown
 * exactly as the single node shows that document.
 */
export function expectEquivalent(
  label: string,
  miroir: Answer,
  single: Answer,
  ranking: SingleNodeRanking,
  window: Window,
  idOf: (hit: Hit) => unknown,
  comparison: Comparison,
): void {
  expectSameFields(label, miroir, single, comparison);
  const hits = miroir.hits as Hit[];
  expect(hits.length, `${label}: number of hits`).toBe((single.hits as Hit[]).length);
  const ids = hits.map(idOf);
  expect(new Set(ids).size, `${label}: a document twice`).toBe(ids.length);
  hits.forEach((hit, index) => {
    const position = window.offset + index;
    const known = ranking.byId.get(ids[index]);
    expect(
      known,
      `${label}: hit ${position} (id ${String(ids[index])}) unknown to the single node`,
    ).toBeDefined();
    expect(
      known?.key,
      `${label}: hit ${position} is not ranked like the single node's hit there`,
    ).toBe(ranking.keysByPosition[position]);
    expect(hit, `${label}: hit ${position}`).toEqual(known?.hit);
  });
}
