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

/** Every field but the hits (and the time) equal; totals left out for distinct queries. */
export function expectSameFields(
  label: string,
  miroir: Answer,
  single: Answer,
  ignoreTotals: boolean,
): void {
  expect(withoutHits(miroir, ignoreTotals), label).toEqual(withoutHits(single, ignoreTotals));
}

function withoutHits(answer: Answer, ignoreTotals: boolean): Answer {
  const { hits: _hits, processingTimeMs: _time, ...rest } = answer;
  if (ignoreTotals) {
    delete rest.estimatedTotalHits;
    delete rest.totalHits;
    delete rest.totalPages;
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
  options: { ignoreTotals?: boolean } = {},
): void {
  expectSameFields(label, miroir, single, options.ignoreTotals ?? false);
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
