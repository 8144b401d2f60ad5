import { createHmac, randomUUID } from "node:crypto";
import { meiliError } from "@miroir/errors";
import { checkKnownFields, expectObject, invalidType, missingField } from "../request-body.js";
import { ACTIONS, isGlobalAction } from "./actions.js";

/** An API key in Meilisearch's shape. */
export interface ApiKey {
  name: string | null;
  description: string | null;
  key: string;
  uid: string;
  actions: string[];
  indexes: string[];
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INDEX_PATTERN = /^([a-zA-Z0-9_-]{1,400}\*?|\*)$/;

const DEFAULT_KEYS = [
  {
    name: "Default Search API Key",
    description: "Use it to search from the frontend",
    actions: ["search"],
  },
  {
    name: "Default Admin API Key",
    description:
      "Use it for anything that is not a search operation. Caution! Do not expose it on a public frontend",
    actions: ["*"],
  },
  {
    name: "Default Read-Only Admin API Key",
    description:
      "Use it to read information across the whole database. Caution! Do not expose this key on a public frontend",
    actions: ["*.get", "keys.get"],
  },
  {
    name: "Default Chat API Key",
    description: "Use it to chat and search from the frontend",
    actions: ["chatCompletions", "search"],
  },
];

function keyNotFound(uidOrKey: string) {
  return meiliError("api_key_not_found", `API key \`${uidOrKey}\` not found.`);
}

/** A key's value: hex HMAC-SHA256 of its uid under the master key, as Meilisearch derives it. */
export function deriveKey(masterKey: string, uid: string): string {
  return createHmac("sha256", masterKey).update(uid).digest("hex");
}

function readText(body: Record<string, unknown>, field: "name" | "description") {
  const value = body[field] ?? null;
  const code = field === "name" ? "invalid_api_key_name" : "invalid_api_key_description";
  if (value !== null && typeof value !== "string") {
    throw invalidType(code, `.${field}`, "a string", value);
  }
  return value as string | null;
}

function readActions(value: unknown): string[] {
  if (value === undefined) throw missingField("missing_api_key_actions", "actions");
  if (!Array.isArray(value))
    throw invalidType("invalid_api_key_actions", ".actions", "an array", value);
  value.forEach((action, i) => {
    if (!(ACTIONS as readonly unknown[]).includes(action)) {
      throw meiliError(
        "invalid_api_key_actions",
        `Unknown value \`${String(action)}\` at \`.actions[${i}]\`: expected one of ${ACTIONS.map((a) => `\`${a}\``).join(", ")}`,
      );
    }
  });
  return value as string[];
}

function readIndexes(value: unknown): string[] {
  if (value === undefined) throw missingField("missing_api_key_indexes", "indexes");
  if (!Array.isArray(value))
    throw invalidType("invalid_api_key_indexes", ".indexes", "an array", value);
  value.forEach((pattern, i) => {
    if (typeof pattern !== "string" || !INDEX_PATTERN.test(pattern)) {
      throw meiliError(
        "invalid_api_key_indexes",
        `Invalid value at \`.indexes[${i}]\`: \`${String(pattern)}\` is not a valid index uid pattern. Index uid patterns can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 400 bytes, optionally ending with an asterisk.`,
      );
    }
  });
  return value as string[];
}

function readExpiresAt(body: Record<string, unknown>): string | null {
  if (!("expiresAt" in body)) throw missingField("missing_api_key_expires_at", "expiresAt");
  const value = body.expiresAt;
  if (value === null) return null;
  const date = typeof value === "string" ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime()) || date.getTime() <= Date.now()) {
    throw meiliError(
      "invalid_api_key_expires_at",
      `Invalid value at \`.expiresAt\`: \`${String(value)}\` is not a valid date. It should follow the RFC 3339 format to represents a date or datetime in the future or specified as a null value. e.g. 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'.`,
    );
  }
  // RFC 3339 as Meilisearch prints it: no fractional part when the seconds are whole
  return date.toISOString().replace(".000Z", "Z");
}

/** The node's API keys, created under one master key. */
export class KeyStore {
  private readonly keys = new Map<string, ApiKey>();
  /** creation order of each key; the default keys share 0, as they are made at once */
  private readonly created = new Map<string, number>();

  constructor(readonly masterKey: string) {
    for (const preset of DEFAULT_KEYS) {
      this.insert({ ...preset, uid: randomUUID(), indexes: ["*"], expiresAt: null }, 0);
    }
  }

  private insert(
    fields: Omit<ApiKey, "key" | "createdAt" | "updatedAt">,
    order = this.created.size,
  ): ApiKey {
    const now = new Date().toISOString();
    const key: ApiKey = {
      name: fields.name,
      description: fields.description,
      key: deriveKey(this.masterKey, fields.uid),
      uid: fields.uid,
      actions: fields.actions,
      indexes: fields.indexes,
      expiresAt: fields.expiresAt,
      createdAt: now,
      updatedAt: now,
    };
    this.keys.set(key.uid, key);
    this.created.set(key.uid, order);
    return key;
  }

  /** Keys newest first, the default keys last in their own order, as `GET /keys` lists them. */
  list(): ApiKey[] {
    const order = (key: ApiKey) => this.created.get(key.uid) ?? 0;
    return [...this.keys.values()].sort((a, b) => order(b) - order(a));
  }

  /** A key by uid or by value. */
  find(uidOrKey: string): ApiKey | undefined {
    return this.keys.get(uidOrKey) ?? [...this.keys.values()].find((key) => key.key === uidOrKey);
  }

  get(uidOrKey: string): ApiKey {
    const key = this.find(uidOrKey);
    if (key === undefined) throw keyNotFound(uidOrKey);
    return key;
  }

  /** `POST /keys`: validates the body with Meilisearch's codes, then creates the key. */
  create(raw: unknown): ApiKey {
    const body = expectObject(raw);
    checkKnownFields(body, ["description", "name", "uid", "actions", "indexes", "expiresAt"]);
    const name = readText(body, "name");
    const description = readText(body, "description");
    const uid = body.uid ?? randomUUID();
    if (typeof uid !== "string" || !UUID.test(uid.toLowerCase())) {
      throw meiliError(
        "invalid_api_key_uid",
        `Invalid value at \`.uid\`: invalid character: expected an optional prefix of \`urn:uuid:\` followed by [0-9a-fA-F-], found \`${String(uid)}\``,
      );
    }
    const actions = readActions(body.actions);
    const indexes = readIndexes(body.indexes);
    const expiresAt = readExpiresAt(body);
    const global = actions.find(isGlobalAction);
    if (!indexes.includes("*") && global !== undefined) {
      throw meiliError(
        "index_scoped_api_key_with_global_action",
        `cannot create index-scoped API key with global action \`"${global}"\`\n  - Hint: remove action \`"${global}"\` from the action list, or remove \`indexes\` to make the key global`,
      );
    }
    const normalisedUid = uid.toLowerCase();
    if (this.keys.has(normalisedUid)) {
      throw meiliError(
        "api_key_already_exists",
        `\`uid\` field value \`${normalisedUid}\` is already an existing API key.`,
      );
    }
    return this.insert({ name, description, uid: normalisedUid, actions, indexes, expiresAt });
  }

  /** `PATCH /keys/{key}`: only `name` and `description` may change. */
  update(uidOrKey: string, raw: unknown): ApiKey {
    const key = this.get(uidOrKey);
    const body = expectObject(raw);
    for (const field of [
      "uid",
      "actions",
      "indexes",
      "expiresAt",
      "key",
      "createdAt",
      "updatedAt",
    ]) {
      if (field in body) {
        const code = `immutable_api_key_${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
        throw meiliError(
          code as "immutable_api_key_uid",
          `Immutable field \`${field}\`: expected one of \`description\`, \`name\``,
        );
      }
    }
    checkKnownFields(body, ["description", "name"]);
    if ("name" in body) key.name = readText(body, "name");
    if ("description" in body) key.description = readText(body, "description");
    key.updatedAt = new Date().toISOString();
    return key;
  }

  delete(uidOrKey: string): void {
    const { uid } = this.get(uidOrKey);
    this.keys.delete(uid);
    this.created.delete(uid);
  }
}
