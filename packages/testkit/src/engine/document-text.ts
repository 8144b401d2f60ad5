import type { Document } from "./document.js";
import { leafAttributes } from "./document-path.js";
import { type Token, tokenize } from "./text.js";
import { pathId, wordId } from "./vocabulary.js";

/** The words of one attribute of a document: interned word ids and their positions. */
export interface AttributeText {
  path: string;
  pathId: number;
  words: Int32Array;
  positions: Int32Array;
}

const ARRAY_ELEMENT_GAP = 8;
const cache = new WeakMap<Document, AttributeText[]>();

/**
 * The tokenised attributes of a document, computed once per document object: searching
 * thousands of documents hundreds of times must not re-tokenise them.
 */
export function documentText(doc: Document): AttributeText[] {
  let text = cache.get(doc);
  if (text === undefined) {
    text = [];
    for (const [path, value] of leafAttributes(doc)) {
      const tokens = tokensOf(value);
      if (tokens.length === 0) continue;
      text.push({
        path,
        pathId: pathId(path),
        words: Int32Array.from(tokens, (token) => wordId(token.word)),
        positions: Int32Array.from(tokens, (token) => token.position),
      });
    }
    cache.set(doc, text);
  }
  return text;
}

function tokensOf(value: unknown): Token[] {
  if (typeof value === "string") return tokenize(value);
  if (typeof value === "number" || typeof value === "boolean") return tokenize(String(value));
  if (!Array.isArray(value)) return [];
  const tokens: Token[] = [];
  let next = 0;
  for (const item of value) {
    if (typeof item !== "string" && typeof item !== "number" && typeof item !== "boolean") continue;
    const itemTokens = tokenize(String(item), next);
    tokens.push(...itemTokens);
    const last = itemTokens.at(-1);
    if (last !== undefined) next = last.position + ARRAY_ELEMENT_GAP;
  }
  return tokens;
}
