import type { Filter } from "@miroir/merger";
import { shardOf } from "@miroir/router";

/**
 * The shards a filter confines a search to when it pins the primary key at the top level
 * of its AND (`id = 7`, `id IN [7, 9]`), or null when it does not (`query_planner`).
 *
 * Sound before fast: a document the filter matches must live on a returned shard.
 * Meilisearch compares filter strings case-insensitively and numbers by value, so only
 * values that name exactly one stored id are narrowed: canonical integers and ids without
 * letters (`"0042"` or `abc` could match several stored ids on several shards).
 */
export function pinnedShards(
  filter: Filter | null | undefined,
  primaryKey: string,
  shards: number,
  maxLiterals: number,
): number[] | null {
  if (filter === null || filter === undefined) return null;
  for (const conjunct of conjunctsOf(filter)) {
    const values = pinnedValues(conjunct, primaryKey);
    if (values === null || values.length > maxLiterals) continue;
    return [...new Set(values.map((value) => shardOf(value, shards)))].sort((a, b) => a - b);
  }
  return null;
}

/** The ANDed parts of a filter; an OR at the top level leaves nothing to narrow on. */
function conjunctsOf(filter: Filter): Token[][] {
  if (typeof filter === "string") return topLevelConjuncts(filter);
  const conjuncts: Token[][] = [];
  for (const element of filter) {
    if (typeof element === "string") conjuncts.push(...topLevelConjuncts(element));
    else if (element.length === 1 && typeof element[0] === "string") {
      conjuncts.push(...topLevelConjuncts(element[0]));
    }
  }
  return conjuncts;
}

interface Token {
  readonly text: string;
  readonly quoted: boolean;
}

/** Splits a filter into tokens: quoted strings, brackets, commas, parentheses, words. */
function tokenize(text: string): Token[] | null {
  const tokens: Token[] = [];
  let position = 0;
  while (position < text.length) {
    const char = text[position] as string;
    if (/\s/.test(char)) {
      position++;
    } else if (char === '"' || char === "'") {
      let value = "";
      position++;
      while (position < text.length && text[position] !== char) {
        if (text[position] === "\\" && position + 1 < text.length) position++;
        value += text[position];
        position++;
      }
      if (position >= text.length) return null;
      position++;
      tokens.push({ text: value, quoted: true });
    } else if ("()[],".includes(char)) {
      tokens.push({ text: char, quoted: false });
      position++;
    } else if ("=!<>".includes(char)) {
      let operator = char;
      position++;
      if (text[position] === "=") operator += text[position++];
      tokens.push({ text: operator, quoted: false });
    } else {
      let word = "";
      while (position < text.length && !/[\s()[\],=!<>"']/.test(text[position] as string)) {
        word += text[position];
        position++;
      }
      tokens.push({ text: word, quoted: false });
    }
  }
  return tokens;
}

function isKeyword(token: Token | undefined, keyword: string): boolean {
  return token !== undefined && !token.quoted && token.text.toUpperCase() === keyword;
}

/** The top-level AND operands of one filter expression, each as its tokens. */
function topLevelConjuncts(text: string): Token[][] {
  const tokens = tokenize(text);
  if (tokens === null) return [];
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (!token.quoted && (token.text === "(" || token.text === "[")) depth++;
    if (!token.quoted && (token.text === ")" || token.text === "]")) depth--;
    if (depth === 0 && isKeyword(token, "OR")) return [];
    if (depth === 0 && isKeyword(token, "AND")) parts.push([]);
    else parts.at(-1)?.push(token);
  }
  return parts;
}

/** The values `attribute = v` or `attribute IN [v, …]` pins, or null for any other shape. */
function pinnedValues(conjunct: readonly Token[], primaryKey: string): string[] | null {
  let tokens = conjunct;
  while (tokens[0]?.text === "(" && tokens.at(-1)?.text === ")" && !tokens[0].quoted) {
    tokens = tokens.slice(1, -1);
  }
  const [attribute, operator, ...rest] = tokens;
  if (attribute === undefined || attribute.text !== primaryKey) return null;
  if (operator?.text === "=" && !operator.quoted && rest.length === 1) {
    const value = exactId(rest[0] as Token);
    return value === null ? null : [value];
  }
  if (!isKeyword(operator, "IN") || rest[0]?.text !== "[" || rest.at(-1)?.text !== "]") {
    return null;
  }
  const values: string[] = [];
  const inner = rest.slice(1, -1);
  for (let index = 0; index < inner.length; index += 2) {
    const value = exactId(inner[index] as Token);
    const separator = inner[index + 1];
    if (value === null || (separator !== undefined && separator.text !== ",")) return null;
    values.push(value);
  }
  return values.length === 0 ? null : values;
}

/** The one stored id a filter value can match, or null when it may match several. */
function exactId(token: Token): string | null {
  const text = token.text;
  if (!token.quoted && "()[],=!<>".includes(text)) return null;
  if (!/^[0-9_-]{1,511}$/.test(text)) return null;
  if (/^[-+]?[0-9]+$/.test(text)) {
    return /^-?(0|[1-9][0-9]*)$/.test(text) && Number.isSafeInteger(Number(text)) && text !== "-0"
      ? text
      : null;
  }
  return text;
}
