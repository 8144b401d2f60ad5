import { compareText } from "../input-checks.js";
import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import { integer, json, text, toJson } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** An index-lifecycle rollover policy (plan §13.17). */
export interface RolloverPolicyRecord {
  readonly name: string;
  readonly writeAlias: string;
  readonly readAlias: string;
  /** Index uid pattern, e.g. `logs-{YYYY-MM-DD}`. */
  readonly pattern: string;
  readonly triggers: unknown;
  readonly retention: unknown;
  readonly template: unknown;
  readonly enabled: boolean;
}

export interface RolloverPolicies {
  put(policy: RolloverPolicyRecord): Promise<void>;
  get(name: string): Promise<RolloverPolicyRecord | null>;
  list(): Promise<RolloverPolicyRecord[]>;
  delete(name: string): Promise<boolean>;
}

export function rolloverPolicies(rows: RowStore): RolloverPolicies {
  const table = TABLES.rolloverPolicies;
  return {
    async put(policy) {
      if (policy.name === "" || policy.writeAlias === "" || policy.readAlias === "") {
        throw invalidInput("A rollover policy needs a name, a write alias and a read alias.");
      }
      await rows.put(table, {
        name: policy.name,
        write_alias: policy.writeAlias,
        read_alias: policy.readAlias,
        pattern: policy.pattern,
        triggers_json: toJson(policy.triggers),
        retention_json: toJson(policy.retention),
        template_json: toJson(policy.template),
        enabled: policy.enabled ? 1 : 0,
      });
    },
    async get(name) {
      const row = await rows.get(table, [name]);
      return row === null ? null : fromRow(row);
    },
    async list() {
      return (await rows.list(table)).map(fromRow).sort((a, b) => compareText(a.name, b.name));
    },
    delete: (name) => rows.delete(table, [name]),
  };
}

function fromRow(row: Row): RolloverPolicyRecord {
  return {
    name: text(row, "name"),
    writeAlias: text(row, "write_alias"),
    readAlias: text(row, "read_alias"),
    pattern: text(row, "pattern"),
    triggers: json(row, "triggers_json"),
    retention: json(row, "retention_json"),
    template: json(row, "template_json"),
    enabled: integer(row, "enabled") === 1,
  };
}
