/** One problem in a configuration: where it is and how to fix it. */
export type ConfigIssue = {
  /** Key path like `nodes[2].replica_group`; empty for the document as a whole. */
  path: string;
  message: string;
};

/** Thrown by `loadConfig` and `parseConfig` with every problem found, never just the first. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(describeIssues(issues));
    this.name = "ConfigError";
    this.issues = issues;
  }
}

export function describeIssues(issues: readonly ConfigIssue[]): string {
  const lines = issues.map((issue) =>
    issue.path === "" ? `  - ${issue.message}` : `  - ${issue.path}: ${issue.message}`,
  );
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  return `Invalid Miroir configuration (${count}):\n${lines.join("\n")}`;
}

/** `["nodes", 2, "replica_group"]` → `nodes[2].replica_group`. */
export function formatPath(segments: readonly (string | number)[]): string {
  let path = "";
  for (const segment of segments) {
    if (typeof segment === "number") path += `[${segment}]`;
    else path += path === "" ? segment : `.${segment}`;
  }
  return path;
}
