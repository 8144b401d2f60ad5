import { type MeiliError, meiliError } from "@miroir/errors";
import type { Filter, FilterArray, FilterToken } from "./filter.js";
import { escapeDebug, FilterScanner, type GeoArgument, KEYWORDS } from "./filter-scanner.js";

const OPERATIONS =
  "`=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `CONTAINS`, `NOT CONTAINS`, `STARTS WITH`, `NOT STARTS WITH`, `_geoRadius`, or `_geoBoundingBox`";
const RESERVED_GEO = new Set(["_geo", "_geoDistance", "_geoPoint"]);
const MAX_DEPTH = 200;

/** Parses a filter in either form; throws `invalid_search_filter` with Meilisearch's wording. */
export function parseFilter(filter: string | FilterArray): Filter {
  if (typeof filter === "string") return new FilterParser(filter).parse();
  if (!Array.isArray(filter)) throw invalidSyntax(filter, "String, Array");
  const items: Filter[] = [];
  for (const entry of filter) {
    if (typeof entry === "string") {
      items.push(new FilterParser(entry).parse());
    } else if (Array.isArray(entry)) {
      const alternatives: Filter[] = [];
      for (const inner of entry) {
        if (typeof inner !== "string") throw invalidSyntax(inner, "String");
        alternatives.push(new FilterParser(inner).parse());
      }
      items.push(simplify({ kind: "or", items: alternatives }));
    } else {
      throw invalidSyntax(entry, "String, [String]");
    }
  }
  return simplify({ kind: "and", items });
}

function invalidSyntax(found: unknown, expected: string): MeiliError {
  return meiliError(
    "invalid_search_filter",
    `Invalid syntax for the filter parameter: \`expected ${expected}, found: ${JSON.stringify(found)}\`.`,
  );
}

function simplify(filter: Filter): Filter {
  if (filter.kind !== "and" && filter.kind !== "or") return filter;
  const items = filter.items.filter((item) => item.kind !== "all");
  if (items.length === 0) return { kind: "all" };
  if (items.length === 1) return items[0] as Filter;
  return { kind: filter.kind, items };
}

class FilterParser extends FilterScanner {
  private depth = 0;

  parse(): Filter {
    if (this.source.trim() === "") return { kind: "all" };
    const filter = this.parseOr();
    this.skipSpaces();
    if (this.at < this.source.length) {
      const rest = this.token(this.at, this.source.length - this.at);
      throw this.error(
        `Found unexpected characters at the end of the filter: \`${escapeDebug(rest.value)}\`. You probably forgot an \`OR\` or an \`AND\` rule.`,
        rest,
      );
    }
    return filter;
  }

  private parseOr(): Filter {
    const items = [this.parseAnd()];
    while (this.acceptKeyword("OR")) items.push(this.parseAnd());
    return items.length === 1 ? (items[0] as Filter) : { kind: "or", items };
  }

  private parseAnd(): Filter {
    const items = [this.parseNot()];
    while (this.acceptKeyword("AND")) items.push(this.parseNot());
    return items.length === 1 ? (items[0] as Filter) : { kind: "and", items };
  }

  private parseNot(): Filter {
    const start = this.at;
    if (!this.acceptKeyword("NOT")) return this.parsePrimary();
    this.enter(start);
    const inner = this.parseNot();
    this.depth -= 1;
    return { kind: "not", inner };
  }

  /** Counts one more level of nesting; Meilisearch refuses filters nested too deep. */
  private enter(start: number): void {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) {
      throw this.error(
        "The filter exceeded the maximum depth limit. Try rewriting the filter so that it contains fewer nested conditions.",
        this.token(start, 1),
      );
    }
  }

  private parsePrimary(): Filter {
    this.skipSpaces();
    const start = this.at;
    if (this.source[this.at] === "(") {
      this.enter(start);
      this.at += 1;
      const inner = this.parseOr();
      this.skipSpaces();
      if (this.source[this.at] !== ")") {
        const context = this.token(start, this.source.length - start);
        throw this.error(
          `Expression \`${escapeDebug(context.value)}\` is missing the following closing delimiter: \`)\`.`,
          context,
        );
      }
      this.at += 1;
      this.depth -= 1;
      return inner;
    }
    if (this.source.startsWith("_geoRadius", this.at)) return this.parseGeoRadius(start);
    if (this.source.startsWith("_geoBoundingBox", this.at)) return this.parseGeoBoundingBox(start);
    if (this.source.startsWith("_geoPoint(", this.at)) {
      throw this.error(reservedGeoMessage("_geoPoint"), this.rest(start));
    }
    return this.parseCondition(start);
  }

  private parseCondition(start: number): Filter {
    const attribute = this.readValue(true);
    if (attribute === undefined) throw this.invalidPrimary(start);
    if (!attribute.quoted && RESERVED_GEO.has(attribute.token.value)) {
      throw this.error(reservedGeoMessage(attribute.token.value), attribute.token);
    }
    const name = attribute.token;
    this.skipSpaces();
    const operator = this.readOperator();
    if (operator !== undefined) {
      return { kind: "compare", attribute: name, operator, value: this.expectValue() };
    }
    const save = this.at;
    const word = this.readBareWord();
    switch (word) {
      case "IN":
        return { kind: "in", attribute: name, values: this.parseList() };
      case "EXISTS":
        return { kind: "exists", attribute: name };
      case "CONTAINS": {
        const operator = this.token(this.at - word.length, word.length);
        return { kind: "contains", attribute: name, value: this.expectValue(), operator };
      }
      case "STARTS": {
        const from = this.at - word.length;
        this.expectKeyword("WITH", start);
        const operator = this.token(from, this.at - from);
        return { kind: "startsWith", attribute: name, value: this.expectValue(), operator };
      }
      case "IS":
        return this.parseIs(name, start);
      case "NOT":
        return { kind: "not", inner: this.parseNegatedCondition(name, start) };
    }
    this.at = save;
    const from = this.readValue(false);
    if (from !== undefined && this.acceptKeyword("TO")) {
      return { kind: "range", attribute: name, from: from.token, to: this.expectValue() };
    }
    throw this.invalidPrimary(start);
  }

  private parseIs(attribute: FilterToken, start: number): Filter {
    const negated = this.acceptKeyword("NOT");
    const word = this.readBareWord();
    let filter: Filter;
    if (word === "NULL") filter = { kind: "isNull", attribute };
    else if (word === "EMPTY") filter = { kind: "isEmpty", attribute };
    else throw this.invalidPrimary(start);
    return negated ? { kind: "not", inner: filter } : filter;
  }

  private parseNegatedCondition(attribute: FilterToken, start: number): Filter {
    const word = this.readBareWord();
    switch (word) {
      case "IN":
        return { kind: "in", attribute, values: this.parseList() };
      case "EXISTS":
        return { kind: "exists", attribute };
      case "CONTAINS": {
        const operator = this.token(this.at - word.length, word.length);
        return { kind: "contains", attribute, value: this.expectValue(), operator };
      }
      case "STARTS": {
        const from = this.at - word.length;
        this.expectKeyword("WITH", start);
        const operator = this.token(from, this.at - from);
        return { kind: "startsWith", attribute, value: this.expectValue(), operator };
      }
      default:
        throw this.invalidPrimary(start);
    }
  }

  private parseList(): FilterToken[] {
    this.skipSpaces();
    if (this.source[this.at] !== "[") {
      throw this.error("Expected `[` after `IN` keyword.", this.rest(this.at));
    }
    this.at += 1;
    const values: FilterToken[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.source[this.at] === "]") break;
      const valueStart = this.at;
      const value = this.readValue(false);
      if (value === undefined) {
        if (this.at >= this.source.length) {
          throw this.error(
            "Expected matching `]` after the list of field names given to `IN[`",
            this.rest(valueStart),
          );
        }
        const bad = this.rest(valueStart);
        throw this.error(
          `Expected only comma-separated field names inside \`IN[..]\` but instead found \`${escapeDebug(bad.value)}\`.`,
          bad,
        );
      }
      if (!value.quoted && KEYWORDS.has(value.token.value)) {
        throw this.error(
          `Expected only comma-separated field names inside \`IN[..]\` but instead found \`${value.token.value}\`, which is a keyword. To use \`${value.token.value}\` as a field name or a value, surround it by quotes.`,
          value.token,
        );
      }
      values.push(value.token);
      this.skipSpaces();
      if (this.source[this.at] === ",") {
        this.at += 1;
        continue;
      }
      if (this.source[this.at] === "]") break;
      throw this.error(
        "Expected matching `]` after the list of field names given to `IN[`",
        this.rest(this.at),
      );
    }
    this.at += 1;
    return values;
  }

  private parseGeoRadius(start: number): Filter {
    this.at += "_geoRadius".length;
    const numbers = this.readGeoArguments();
    if (numbers === undefined || numbers.length !== 3) {
      throw this.error(
        "The `_geoRadius` filter expects three arguments: `_geoRadius(latitude, longitude, radius)`.",
        this.rest(start),
      );
    }
    const [lat, lng, radius] = numbers as [GeoArgument, GeoArgument, GeoArgument];
    this.checkLatLng(lat, lng);
    return {
      kind: "geoRadius",
      lat: lat.value,
      lng: lng.value,
      radius: radius.value,
      context: lat.token,
    };
  }

  private parseGeoBoundingBox(start: number): Filter {
    this.at += "_geoBoundingBox".length;
    const fail = () =>
      this.error(
        "The `_geoBoundingBox` filter expects two pairs of arguments: `_geoBoundingBox([latitude, longitude], [latitude, longitude])`.",
        this.rest(start),
      );
    this.skipSpaces();
    if (this.source[this.at] !== "(") throw fail();
    this.at += 1;
    const first = this.readGeoPair();
    this.skipSpaces();
    if (first === undefined || this.source[this.at] !== ",") throw fail();
    this.at += 1;
    const second = this.readGeoPair();
    this.skipSpaces();
    if (second === undefined || this.source[this.at] !== ")") throw fail();
    this.at += 1;
    this.checkLatLng(first[0], first[1]);
    this.checkLatLng(second[0], second[1]);
    return {
      kind: "geoBoundingBox",
      topRight: [first[0].value, first[1].value],
      bottomLeft: [second[0].value, second[1].value],
      context: first[0].token,
    };
  }

  private readGeoPair(): [GeoArgument, GeoArgument] | undefined {
    this.skipSpaces();
    if (this.source[this.at] !== "[") return undefined;
    this.at += 1;
    const pair = this.readNumberList("]");
    return pair?.length === 2 ? (pair as [GeoArgument, GeoArgument]) : undefined;
  }

  private readGeoArguments(): GeoArgument[] | undefined {
    this.skipSpaces();
    if (this.source[this.at] !== "(") return undefined;
    this.at += 1;
    return this.readNumberList(")");
  }

  private checkLatLng(lat: GeoArgument, lng: GeoArgument): void {
    if (lat.value < -90 || lat.value > 90) {
      throw this.error(
        `Bad latitude \`${lat.token.value}\`. Latitude must be contained between -90 and 90 degrees. `,
        lat.token,
      );
    }
    if (lng.value < -180 || lng.value > 180) {
      throw this.error(
        `Bad longitude \`${lng.token.value}\`. Longitude must be contained between -180 and 180 degrees. `,
        lng.token,
      );
    }
  }

  private expectValue(): FilterToken {
    this.skipSpaces();
    const start = this.at;
    if (this.source.startsWith("_geoRadius", start)) {
      throw this.error(
        "The `_geoRadius` filter is an operation and can't be used as a value.",
        this.rest(start),
      );
    }
    if (this.source.startsWith("_geoBoundingBox", start)) {
      throw this.error(
        "The `_geoBoundingBox` filter is an operation and can't be used as a value.",
        this.rest(start),
      );
    }
    const value = this.readValue(false);
    if (value === undefined) {
      const rest = this.rest(start);
      const message =
        rest.value.trim() === ""
          ? "Was expecting a value but instead got nothing."
          : `Was expecting a value but instead got \`${escapeDebug(rest.value)}\`.`;
      throw this.error(message, rest);
    }
    if (!value.quoted && KEYWORDS.has(value.token.value)) {
      const word = value.token.value;
      throw this.error(
        `Was expecting a value but instead got \`${word}\`, which is a reserved keyword. To use \`${word}\` as a field name or a value, surround it by quotes.`,
        value.token,
      );
    }
    return value.token;
  }

  private expectKeyword(keyword: string, start: number): void {
    if (!this.acceptKeyword(keyword)) throw this.invalidPrimary(start);
  }

  private invalidPrimary(start: number): MeiliError {
    const rest = this.rest(start);
    const where =
      rest.value.trim() === "" ? "but instead got nothing." : `at \`${escapeDebug(rest.value)}\`.`;
    return this.error(`Was expecting an operation ${OPERATIONS} ${where}`, rest);
  }
}

function reservedGeoMessage(name: string): string {
  return `\`${name}\` is a reserved keyword and thus can't be used as a filter expression. Use the \`_geoRadius(latitude, longitude, distance)\` or \`_geoBoundingBox([latitude, longitude], [latitude, longitude])\` built-in rules to filter on \`_geo\` coordinates.`;
}
