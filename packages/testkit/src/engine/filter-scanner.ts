import { type MeiliError, meiliError } from "@miroir/errors";
import { type ComparisonOperator, type FilterToken, filterContextLine } from "./filter.js";

export const KEYWORDS = new Set(["AND", "OR", "NOT", "TO", "IN", "EXISTS", "IS", "NULL", "EMPTY"]);
const SPECIAL = new Set(["(", ")", "[", "]", ",", "=", "!", "<", ">", "'", '"']);

/** A number argument of `_geoRadius`/`_geoBoundingBox` and where it sits. */
export interface GeoArgument {
  value: number;
  token: FilterToken;
}

/**
 * The lexical layer of the filter parser: words, quoted values, operators, keywords and
 * numbers read from a position in the source, and errors located as Meilisearch locates them.
 */
export class FilterScanner {
  protected at = 0;

  constructor(protected readonly source: string) {}

  protected readNumberList(close: string): GeoArgument[] | undefined {
    const numbers: GeoArgument[] = [];
    for (;;) {
      this.skipSpaces();
      const start = this.at;
      while (this.at < this.source.length && /[0-9eE+\-.]/.test(this.source[this.at] as string)) {
        this.at += 1;
      }
      const text = this.source.slice(start, this.at);
      const value = Number(text);
      if (text === "" || !Number.isFinite(value)) return undefined;
      numbers.push({ value, token: this.token(start, text.length) });
      this.skipSpaces();
      const next = this.source[this.at];
      this.at += 1;
      if (next === close) return numbers;
      if (next !== ",") return undefined;
    }
  }

  protected readOperator(): ComparisonOperator | undefined {
    for (const operator of ["!=", ">=", "<=", "=", ">", "<"] as const) {
      if (this.source.startsWith(operator, this.at)) {
        this.at += operator.length;
        return operator;
      }
    }
    return undefined;
  }

  /** A quoted string (escapes resolved) or a bare word; `undefined` when none is here. */
  protected readValue(asAttribute: boolean): { token: FilterToken; quoted: boolean } | undefined {
    this.skipSpaces();
    const quote = this.source[this.at];
    if (quote === "'" || quote === '"') {
      const start = this.at;
      let value = "";
      let at = start + 1;
      while (at < this.source.length && this.source[at] !== quote) {
        if (this.source[at] === "\\" && at + 1 < this.source.length) at += 1;
        value += this.source[at];
        at += 1;
      }
      if (at >= this.source.length) {
        const context = this.token(start, this.source.length - start);
        throw this.error(
          `Expression \`${escapeDebug(context.value)}\` is missing the following closing delimiter: \`${quote}\`.`,
          context,
        );
      }
      this.at = at + 1;
      return {
        token: { value, start: start + 1, length: at - start - 1, source: this.source },
        quoted: true,
      };
    }
    const start = this.at;
    const word = this.readBareWord();
    if (word === "") return undefined;
    if (asAttribute && KEYWORDS.has(word)) {
      this.at = start;
      return undefined;
    }
    return { token: this.token(start, word.length), quoted: false };
  }

  protected readBareWord(): string {
    this.skipSpaces();
    const start = this.at;
    while (this.at < this.source.length) {
      const char = this.source[this.at] as string;
      if (SPECIAL.has(char) || /\s/.test(char)) break;
      this.at += 1;
    }
    return this.source.slice(start, this.at);
  }

  protected acceptKeyword(keyword: string): boolean {
    const save = this.at;
    this.skipSpaces();
    if (this.source.startsWith(keyword, this.at)) {
      const after = this.source[this.at + keyword.length];
      if (after === undefined || /\s/.test(after) || after === "(" || after === "[") {
        this.at += keyword.length;
        return true;
      }
    }
    this.at = save;
    return false;
  }

  protected skipSpaces(): void {
    while (this.at < this.source.length && /\s/.test(this.source[this.at] as string)) this.at += 1;
  }

  protected rest(start: number): FilterToken {
    return this.token(start, this.source.length - start);
  }

  protected token(start: number, length: number): FilterToken {
    return { value: this.source.slice(start, start + length), start, length, source: this.source };
  }

  protected error(message: string, context: FilterToken): MeiliError {
    return meiliError("invalid_search_filter", `${message}\n${filterContextLine(context)}`);
  }
}

/** Escapes a fragment the way Meilisearch quotes it back in its messages. */
export function escapeDebug(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/\n/g, "\\n")
    .replace(/\t/g, "\\t")
    .replace(/"/g, '\\"');
}
