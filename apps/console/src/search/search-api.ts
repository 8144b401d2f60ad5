import { errorOf } from "../api/admin-api.js";

/** The part of a Meilisearch search answer (page mode) the preview shows. */
export interface SearchAnswer {
  hits: Record<string, unknown>[];
  totalHits: number;
  totalPages: number;
  page: number;
  hitsPerPage: number;
  processingTimeMs: number;
  facetDistribution?: Record<string, Record<string, number>>;
}

/**
 * `POST /indexes/{uid}/search` through Miroir, exactly as a client sends it, with the
 * search key the operator gave (none when Miroir runs without a master key).
 */
export async function search(
  key: string,
  indexUid: string,
  body: Record<string, unknown>,
  signal: AbortSignal,
): Promise<SearchAnswer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== "") headers.authorization = `Bearer ${key}`;
  const response = await fetch(`/indexes/${encodeURIComponent(indexUid)}/search`, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
    cache: "no-store",
    signal,
  });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as SearchAnswer;
}
