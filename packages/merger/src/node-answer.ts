import { NodeAnswerError } from "./node-answer-error.js";
import type { FacetDistribution, FacetStats, Hit, SearchResponseBody } from "./types.js";

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

function checkFacetDistribution(node: string, value: unknown): FacetDistribution {
  if (!isRecord(value)) throw new NodeAnswerError(node, "`facetDistribution` is not an object");
  for (const [facet, counts] of Object.entries(value)) {
    if (!isRecord(counts))
      throw new NodeAnswerError(node, `\`facetDistribution.${facet}\` is not an object`);
    // for-in: several times faster than Object.values on these dictionary-like objects.
    for (const value in counts) {
      if (!isCount(counts[value])) {
        throw new NodeAnswerError(
          node,
          `\`facetDistribution.${facet}\` has a count that is not one`,
        );
      }
    }
  }
  return value as FacetDistribution;
}

function checkFacetStats(node: string, value: unknown): FacetStats {
  if (!isRecord(value)) throw new NodeAnswerError(node, "`facetStats` is not an object");
  for (const [facet, stats] of Object.entries(value)) {
    if (!isRecord(stats) || typeof stats.min !== "number" || typeof stats.max !== "number") {
      throw new NodeAnswerError(node, `\`facetStats.${facet}\` has no numeric min and max`);
    }
  }
  return value as FacetStats;
}

/** The hits of an answer, each an object carrying the ranking score the plan asked for. */
export function checkHits(node: string, value: unknown, field: string): Hit[] {
  if (!Array.isArray(value)) throw new NodeAnswerError(node, `\`${field}\` is not an array`);
  for (let position = 0; position < value.length; position++) {
    const hit: unknown = value[position];
    if (!isRecord(hit)) throw new NodeAnswerError(node, `${field}[${position}] is not an object`);
    if (typeof hit._rankingScore !== "number") {
      throw new NodeAnswerError(node, `${field}[${position}] has no \`_rankingScore\``);
    }
    if (hit._rankingScoreDetails !== undefined && !isRecord(hit._rankingScoreDetails)) {
      throw new NodeAnswerError(
        node,
        `${field}[${position}]._rankingScoreDetails is not an object`,
      );
    }
  }
  return value as Hit[];
}

/** Checks one node's search answer; anything malformed is that node's failure. */
export function checkSearchResponse(node: string, body: unknown): SearchResponseBody {
  if (!isRecord(body)) throw new NodeAnswerError(node, "the body is not a JSON object");
  const hits = checkHits(node, body.hits, "hits");
  if (typeof body.processingTimeMs !== "number") {
    throw new NodeAnswerError(node, "`processingTimeMs` is missing");
  }
  const checked: SearchResponseBody = { hits, processingTimeMs: body.processingTimeMs };
  if (isCount(body.estimatedTotalHits)) checked.estimatedTotalHits = body.estimatedTotalHits;
  if (isCount(body.totalHits)) checked.totalHits = body.totalHits;
  if (checked.estimatedTotalHits === undefined && checked.totalHits === undefined) {
    throw new NodeAnswerError(node, "neither `estimatedTotalHits` nor `totalHits` is a count");
  }
  if (body.facetDistribution !== undefined) {
    checked.facetDistribution = checkFacetDistribution(node, body.facetDistribution);
  }
  if (body.facetStats !== undefined) checked.facetStats = checkFacetStats(node, body.facetStats);
  if (isCount(body.semanticHitCount)) checked.semanticHitCount = body.semanticHitCount;
  if (body.queryVector !== undefined) checked.queryVector = body.queryVector;
  if (typeof body.requestUid === "string") checked.requestUid = body.requestUid;
  if (body.performanceDetails !== undefined) checked.performanceDetails = body.performanceDetails;
  return checked;
}

export { checkFacetDistribution, checkFacetStats, isCount };
