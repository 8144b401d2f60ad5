import { type ErrorCode, meiliError } from "@miroir/errors";
import { describeFound } from "./request-values.js";
import type { Settings } from "./settings.js";

/** One configured embedder, as the emulated node can serve it: vectors the user provides. */
export interface UserProvidedEmbedder {
  source: "userProvided";
  dimensions: number;
  [setting: string]: unknown;
}

const SOURCES = ["openAi", "huggingFace", "ollama", "userProvided", "rest", "composite"];
const USER_PROVIDED_FIELDS = ["source", "dimensions", "distribution", "binaryQuantized"];

/** Every embedder field Meilisearch knows, with the sources that take it (besides the common ones). */
const FIELD_SOURCES: Record<string, string[]> = {
  source: [],
  model: ["openAi", "huggingFace", "ollama"],
  revision: ["huggingFace"],
  pooling: ["huggingFace"],
  apiKey: ["openAi", "ollama", "rest"],
  dimensions: [],
  binaryQuantized: [],
  documentTemplate: ["openAi", "huggingFace", "ollama", "rest"],
  documentTemplateMaxBytes: ["openAi", "huggingFace", "ollama", "rest"],
  url: ["openAi", "ollama", "rest"],
  indexingFragments: ["rest"],
  searchFragments: ["rest"],
  request: ["rest"],
  response: ["rest"],
  headers: ["rest"],
  searchEmbedder: ["composite"],
  indexingEmbedder: ["composite"],
  distribution: [],
};

function unavailableField(path: string, field: string): string {
  const known = Object.keys(FIELD_SOURCES);
  if (!known.includes(field)) {
    return `Unknown field \`${field}\` inside \`${path}\`: expected one of ${known.map((k) => `\`${k}\``).join(", ")}`;
  }
  const sources = (FIELD_SOURCES[field] ?? []).map((source) => `\`${source}\``).join(", ");
  const fields = USER_PROVIDED_FIELDS.map((name) => `\`${name}\``).join(", ");
  return `\`${path}\`: Field \`${field}\` unavailable for source \`userProvided\`.\n  - note: \`${field}\` is available for sources: ${sources}\n  - note: available fields for source \`userProvided\`: ${fields}`;
}

/**
 * Validates one entry of `embedders` (null removes it) with Meilisearch's
 * `invalid_settings_embedders` wording. Only `userProvided` can be served here: the other
 * sources compute embeddings through a model or a remote service the node does not run.
 */
export function readEmbedder(name: string, value: unknown): UserProvidedEmbedder | null {
  const code: ErrorCode = "invalid_settings_embedders";
  const path = `.embedders.${name}`;
  if (value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw meiliError(
      code,
      `Invalid value type at \`${path}\`: expected an object, but found ${describeFound(value)}`,
    );
  }
  const settings = value as Record<string, unknown>;
  const source = settings.source;
  if (source === undefined) {
    throw meiliError(code, `\`${path}\`: Missing field \`source\`.`);
  }
  if (typeof source !== "string" || !SOURCES.includes(source)) {
    throw meiliError(
      code,
      `Unknown value \`${String(source)}\` at \`${path}.source\`: expected one of ${SOURCES.map((s) => `\`${s}\``).join(", ")}`,
    );
  }
  if (source !== "userProvided") {
    throw meiliError(
      code,
      `\`${path}\`: source \`${source}\` computes embeddings with a model; this node only serves embeddings provided in documents (source \`userProvided\`).`,
    );
  }
  for (const field of Object.keys(settings)) {
    if (!USER_PROVIDED_FIELDS.includes(field))
      throw meiliError(code, unavailableField(path, field));
  }
  const dimensions = settings.dimensions;
  if (dimensions === undefined) {
    throw meiliError(
      code,
      `\`${path}\`: Missing field \`dimensions\` (note: this field is mandatory for source \`userProvided\`)`,
    );
  }
  if (typeof dimensions !== "number" || !Number.isInteger(dimensions) || dimensions < 0) {
    throw meiliError(
      code,
      `Invalid value type at \`${path}.dimensions\`: expected a positive integer, but found ${describeFound(dimensions)}`,
    );
  }
  if (dimensions === 0) {
    throw meiliError(code, `\`${path}.dimensions\`: \`dimensions\` cannot be zero`);
  }
  return settings as UserProvidedEmbedder;
}

/** The embedder a query names, or Meilisearch's "cannot find embedder" error. */
export function embedderNamed(
  settings: Settings,
  name: string,
  code: "invalid_search_embedder" | "invalid_similar_embedder",
): UserProvidedEmbedder {
  const embedder = settings.embedders[name];
  if (embedder === undefined || embedder === null) {
    throw meiliError(code, `Cannot find embedder with name \`${name}\`.`);
  }
  return embedder as UserProvidedEmbedder;
}
