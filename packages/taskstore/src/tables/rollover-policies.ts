import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, optionalInteger, text } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/**
 * When the write alias `name` rolls over to a new index generation, and how many
 * generations the read alias keeps. A limit left null never triggers.
 */
export interface RolloverPolicy {
  /** The write alias: it names the newest generation only. */
  readonly name: string;
  /** The read alias: it names every generation kept, newest first. */
  readonly readAlias: string;
  readonly maxAgeMs: number | null;
  readonly maxDocuments: number | null;
  readonly maxSizeBytes: number | null;
  /** Generations the read alias keeps; the oldest beyond it are deleted. Null keeps all. */
  readonly keepGenerations: number | null;
}

export interface RolloverPolicyRecord extends RolloverPolicy {
  /** The newest generation made (1 for the first index). */
  readonly generation: number;
  readonly createdAt: EpochMs;
  readonly updatedAt: EpochMs;
}

export interface RolloverPolicies {
  /** Every policy, by name. */
  list(): Promise<RolloverPolicyRecord[]>;
  get(name: string): Promise<RolloverPolicyRecord | null>;
  /** Creates the policy at `generation`, or changes its limits (keeping its generation). */
  put(policy: RolloverPolicy, generation: number): Promise<RolloverPolicyRecord>;
  /** Records generation `to` if the policy is still at `to - 1` (one roller wins). */
  advance(name: string, to: number): Promise<RolloverPolicyRecord | null>;
  delete(name: string): Promise<boolean>;
}

export function rolloverPolicies(rows: RowStore, now: () => EpochMs): RolloverPolicies {
  const table = TABLES.rolloverPolicies;
  return {
    async list() {
      const stored = await rows.list(table);
      return stored.map(fromRow).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async get(name) {
      const row = await rows.get(table, [name]);
      return row === null ? null : fromRow(row);
    },
    async put(policy, generation) {
      checked(policy);
      if (!Number.isInteger(generation) || generation < 1) {
        throw invalidInput("A policy's generation is a positive integer.");
      }
      const row = await rows.update(table, [policy.name], (current) => {
        const at = now();
        return {
          name: policy.name,
          read_alias: policy.readAlias,
          max_age_ms: policy.maxAgeMs,
          max_documents: policy.maxDocuments,
          max_size_bytes: policy.maxSizeBytes,
          keep_generations: policy.keepGenerations,
          generation: current === null ? generation : integer(current, "generation"),
          created_at: current === null ? at : integer(current, "created_at"),
          updated_at: at,
        };
      });
      return fromRow(row as Row);
    },
    async advance(name, to) {
      let advanced = false;
      const row = await rows.update(table, [name], (current) => {
        advanced = current !== null && integer(current, "generation") === to - 1;
        if (!advanced || current === null) return undefined;
        return { ...current, generation: to, updated_at: now() };
      });
      return advanced && row !== null ? fromRow(row) : null;
    },
    delete: (name) => rows.delete(table, [name]),
  };
}

function checked(policy: RolloverPolicy): void {
  if (policy.name === "" || policy.readAlias === "") {
    throw invalidInput("A rollover policy needs a write alias and a read alias.");
  }
  if (policy.name === policy.readAlias) {
    throw invalidInput("A rollover policy's read alias differs from its write alias.");
  }
  for (const limit of [
    policy.maxAgeMs,
    policy.maxDocuments,
    policy.maxSizeBytes,
    policy.keepGenerations,
  ]) {
    if (limit !== null && (!Number.isInteger(limit) || limit < 1)) {
      throw invalidInput("A rollover limit is a positive integer, or null for none.");
    }
  }
}

function fromRow(row: Row): RolloverPolicyRecord {
  return {
    name: text(row, "name"),
    readAlias: text(row, "read_alias"),
    maxAgeMs: optionalInteger(row, "max_age_ms"),
    maxDocuments: optionalInteger(row, "max_documents"),
    maxSizeBytes: optionalInteger(row, "max_size_bytes"),
    keepGenerations: optionalInteger(row, "keep_generations"),
    generation: integer(row, "generation"),
    createdAt: integer(row, "created_at"),
    updatedAt: integer(row, "updated_at"),
  };
}
