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
      case "limit":
        if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(Number(text))) return null;
        query[name] = Number(text);
        break;
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
      case "showPerformanceDetails":
        if (text !== "true" && text !== "false") return null;
        query[name] = text === "true";
        break;
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

function filterOfParam(text: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // Not JSON: the expression form.
  }
  return text;
}
