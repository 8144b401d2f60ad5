import {
  bodyOfParams,
  booleanParam,
  countParam,
  filterParam,
  floatParam,
  nonEmptyListParam,
  textParam,
} from "../query-params.js";

/** How `GET /indexes/{uid}/similar` spells each parameter of the POST body. */
const SIMILAR_PARAMS = {
  id: textParam,
  embedder: textParam,
  offset: countParam,
  limit: countParam,
  filter: filterParam,
  attributesToRetrieve: nonEmptyListParam,
  retrieveVectors: booleanParam,
  showRankingScore: booleanParam,
  showRankingScoreDetails: booleanParam,
  showPerformanceDetails: booleanParam,
  rankingScoreThreshold: floatParam,
};

/**
 * The `POST /similar` body equivalent to `GET /similar`'s query string, or null when a
 * parameter is unknown or does not parse (the node's answer is then the error).
 */
export function similarQueryOfParams(params: URLSearchParams): Record<string, unknown> | null {
  return bodyOfParams(params, SIMILAR_PARAMS);
}
