import { booleanOfParam, countOfParam, filterOfParam } from "../query-params.js";

/**
 * The `POST /similar` body equivalent to `GET /similar`'s query string, or null when a
 * parameter is unknown or does not parse (the node's answer is then the error).
 */
export function similarQueryOfParams(params: URLSearchParams): Record<string, unknown> | null {
  const query: Record<string, unknown> = {};
  for (const [name, text] of params) {
    switch (name) {
      case "id":
      case "embedder":
        query[name] = text;
        break;
      case "offset":
      case "limit": {
        const count = countOfParam(text);
        if (count === undefined) return null;
        query[name] = count;
        break;
      }
      case "filter":
        query.filter = filterOfParam(text);
        break;
      case "attributesToRetrieve":
        query[name] = text
          .split(",")
          .map((item) => item.trim())
          .filter((item) => item !== "");
        break;
      case "retrieveVectors":
      case "showRankingScore":
      case "showRankingScoreDetails":
      case "showPerformanceDetails": {
        const flag = booleanOfParam(text);
        if (flag === undefined) return null;
        query[name] = flag;
        break;
      }
      case "rankingScoreThreshold": {
        const threshold = Number(text);
        if (text.trim() === "" || !Number.isFinite(threshold)) return null;
        query[name] = threshold;
        break;
      }
      default:
        return null;
    }
  }
  return query;
}
