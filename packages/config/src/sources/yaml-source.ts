import { parseDocument } from "yaml";
import type { ConfigIssue } from "../issues/config-error.js";

/** A configuration file already read by the caller: this package does no I/O. */
export type ConfigFile = { path: string; text: string };

export type YamlReading = { value: Record<string, unknown>; issues: ConfigIssue[] };

/** Parses the file; malformed YAML is reported with its line and column. */
export function readYamlFile(file: ConfigFile): YamlReading {
  const document = parseDocument(file.text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      value: {},
      issues: document.errors.map((error) => {
        const position = error.linePos?.[0];
        const where = position ? ` at line ${position.line}, column ${position.col}` : "";
        const reason = (error.message.split(" at line ")[0] ?? error.message).trim();
        return { path: "", message: `${file.path}: malformed YAML${where}: ${reason}` };
      }),
    };
  }
  const value: unknown = document.toJS();
  if (value === null || value === undefined) return { value: {}, issues: [] };
  if (typeof value !== "object" || Array.isArray(value)) {
    return {
      value: {},
      issues: [
        { path: "", message: `${file.path}: the file must be a mapping of keys such as "nodes:"` },
      ],
    };
  }
  return { value: value as Record<string, unknown>, issues: [] };
}
