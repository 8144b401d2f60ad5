import type { Document } from "./document.js";
import type { Settings } from "./settings.js";

/** What the node hands the engine: one index's state, read-only. */
export interface EngineIndex {
  uid: string;
  primaryKey: string | null;
  settings: Settings;
  /** Key: the primary-key value as a string; Map order is insertion (internal id) order. */
  documents: ReadonlyMap<string, Document>;
  /** Experimental features of the node that change search (all off by default, as in Meilisearch). */
  features?: { containsFilter?: boolean };
}
