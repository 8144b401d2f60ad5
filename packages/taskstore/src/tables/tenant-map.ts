import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import { optionalInteger, text } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** Which tenant an API key belongs to, and optionally the replica group it is pinned to. */
export interface TenantMappingRecord {
  /** Hex SHA-256 of the API key; the key itself is never stored. */
  readonly apiKeyHash: string;
  readonly tenantId: string;
  /** `null` lets the router derive the group from the tenant id. */
  readonly groupId: number | null;
}

export interface TenantMap {
  get(apiKeyHash: string): Promise<TenantMappingRecord | null>;
  put(mapping: TenantMappingRecord): Promise<void>;
  delete(apiKeyHash: string): Promise<boolean>;
}

export function tenantMap(rows: RowStore): TenantMap {
  const table = TABLES.tenantMap;
  return {
    async get(apiKeyHash) {
      const row = await rows.get(table, [apiKeyHash]);
      return row === null ? null : fromRow(row);
    },
    async put(mapping) {
      if (!/^[0-9a-f]{64}$/.test(mapping.apiKeyHash)) {
        throw invalidInput("apiKeyHash must be the 64 lower-case hex digits of a SHA-256.");
      }
      if (mapping.tenantId === "") throw invalidInput("A tenant mapping needs a tenant id.");
      await rows.put(table, {
        api_key_hash: mapping.apiKeyHash,
        tenant_id: mapping.tenantId,
        group_id: mapping.groupId,
      });
    },
    delete: (apiKeyHash) => rows.delete(table, [apiKeyHash]),
  };
}

function fromRow(row: Row): TenantMappingRecord {
  return {
    apiKeyHash: text(row, "api_key_hash"),
    tenantId: text(row, "tenant_id"),
    groupId: optionalInteger(row, "group_id"),
  };
}
