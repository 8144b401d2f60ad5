import type * as v from "valibot";
import { keysAt, outlineAt } from "../reference/schema-outline.js";
import { type ConfigIssue, formatPath } from "./config-error.js";
import { closestKey } from "./did-you-mean.js";

const FRIENDLY_TYPES: Readonly<Record<string, string>> = {
  number: "a number",
  string: "a string",
  boolean: "true or false",
  Object: "a mapping of keys",
  Array: "a list",
  null: "null",
};

/** Turns valibot's issues into messages that name the key and say what it accepts. */
export function translateIssues(issues: readonly v.BaseIssue<unknown>[]): ConfigIssue[] {
  return issues.map(translateIssue);
}

function translateIssue(issue: v.BaseIssue<unknown>): ConfigIssue {
  const segments = (issue.path ?? []).map((item) => item.key as string | number);
  const path = formatPath(segments);
  if (issue.type === "strict_object" && issue.expected === "never") {
    return { path, message: unknownKeyMessage(segments) };
  }
  if (issue.type === "strict_object" && issue.input === undefined) {
    return { path, message: "is required but missing" };
  }
  if (issue.kind === "schema" && issue.message.startsWith("Invalid type")) {
    return {
      path,
      message: `expected ${expectedAt(segments, issue.expected)}, got ${issue.received}`,
    };
  }
  if (issue.type === "min_length") return { path, message: issue.message };
  // A raw check's message is complete, and its input may hold a secret (a node address
  // with a password in it): never echoed.
  if (issue.type === "raw_check") return { path, message: issue.message };
  return { path, message: `${issue.message} (got ${issue.received})` };
}

function unknownKeyMessage(segments: readonly (string | number)[]): string {
  const typed = String(segments[segments.length - 1]);
  const known = keysAt(segments.slice(0, -1));
  const suggestion = closestKey(typed, known);
  if (suggestion !== undefined) return `unknown key "${typed}"; did you mean "${suggestion}"?`;
  return `unknown key "${typed}"; allowed keys here: ${known.join(", ")}`;
}

function expectedAt(segments: readonly (string | number)[], expected: string | null): string {
  const setting = outlineAt(segments);
  const wanted = setting?.kind === "integer" ? "a whole number" : friendlyExpected(expected);
  return setting?.nullable ? `${wanted} or null` : wanted;
}

function friendlyExpected(expected: string | null): string {
  if (expected === null) return "a value";
  return expected
    .replace(/^\((.*)\)$/, "$1")
    .split(" | ")
    .map((part) => FRIENDLY_TYPES[part] ?? part)
    .join(" or ");
}
