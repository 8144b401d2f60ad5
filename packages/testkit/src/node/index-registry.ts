import { meiliError } from "@miroir/errors";
import {
  type Document,
  defaultSettings,
  type EngineIndex,
  type Settings,
} from "../engine/index.js";

/** One index of the node: what the engine searches, plus its timestamps. */
export interface IndexRecord extends EngineIndex {
  primaryKey: string | null;
  settings: Settings;
  documents: Map<string, Document>;
  createdAt: string;
  updatedAt: string;
}

/** The index object of Meilisearch's API. */
export interface IndexView {
  uid: string;
  createdAt: string;
  updatedAt: string;
  primaryKey: string | null;
}

const INDEX_UID = /^[a-zA-Z0-9_-]{1,400}$/;

/** Rejects an index uid Meilisearch would reject, with its code and wording. */
/**
 * An index uid, or Meilisearch's `invalid_index_uid`; `where` locates a uid that comes
 * from a body or a query parameter ("Invalid value at `.uid`: "). Meilisearch accepts 400
 * bytes but its message says 512.
 */
export function checkIndexUid(uid: unknown, where = ""): string {
  if (typeof uid !== "string" || !INDEX_UID.test(uid)) {
    throw meiliError(
      "invalid_index_uid",
      `${where}\`${String(uid)}\` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.`,
    );
  }
  return uid;
}

export function indexNotFound(uid: string) {
  return meiliError("index_not_found", `Index \`${uid}\` not found.`);
}

/** The node's indexes by uid, in creation order. */
export class IndexRegistry {
  private readonly indexes = new Map<string, IndexRecord>();

  /**
   * `features` is the node's live switch object: every index holds the same reference, so a
   * `PATCH /experimental-features` changes what the engine accepts at once.
   */
  constructor(private readonly features: NonNullable<EngineIndex["features"]> = {}) {}

  has(uid: string): boolean {
    return this.indexes.has(uid);
  }

  /** The index, or Meilisearch's `index_not_found`. */
  get(uid: string): IndexRecord {
    const index = this.indexes.get(uid);
    if (index === undefined) throw indexNotFound(uid);
    return index;
  }

  find(uid: string): IndexRecord | undefined {
    return this.indexes.get(uid);
  }

  /** Indexes sorted by uid, as `GET /indexes` lists them. */
  list(): IndexRecord[] {
    return [...this.indexes.values()].sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
  }

  create(uid: string, primaryKey: string | null): IndexRecord {
    if (this.indexes.has(uid)) {
      throw meiliError("index_already_exists", `Index \`${uid}\` already exists.`);
    }
    const now = new Date().toISOString();
    const index: IndexRecord = {
      uid,
      primaryKey,
      settings: defaultSettings(),
      documents: new Map(),
      features: this.features,
      createdAt: now,
      updatedAt: now,
    };
    this.indexes.set(uid, index);
    return index;
  }

  /** The index, created on the fly when missing (document and settings writes do that). */
  getOrCreate(uid: string): IndexRecord {
    return this.indexes.get(uid) ?? this.create(uid, null);
  }

  delete(uid: string): IndexRecord {
    const index = this.get(uid);
    this.indexes.delete(uid);
    return index;
  }

  /** Exchanges the contents of two indexes; each keeps its uid. */
  swap(a: string, b: string): void {
    const first = this.get(a);
    const second = this.get(b);
    this.indexes.set(a, { ...second, uid: a });
    this.indexes.set(b, { ...first, uid: b });
  }

  /** Gives an index a new uid (a swap with `rename: true`). */
  rename(from: string, to: string): void {
    const index = this.get(from);
    if (this.indexes.has(to)) {
      throw meiliError("index_already_exists", `Index \`${to}\` already exists.`);
    }
    this.indexes.delete(from);
    this.indexes.set(to, { ...index, uid: to });
  }
}

export function indexView(index: IndexRecord): IndexView {
  return {
    uid: index.uid,
    createdAt: index.createdAt,
    updatedAt: index.updatedAt,
    primaryKey: index.primaryKey,
  };
}

export function touch(index: IndexRecord): void {
  index.updatedAt = new Date().toISOString();
}
