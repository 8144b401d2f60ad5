import type { MeiliError } from "@miroir/errors";
import type { AliasRecord, TaskStore } from "@miroir/taskstore";
import { type DutyRunner, startDuty } from "../duties/background-duty.js";

/** What a request's index name turned out to be: an alias and the indexes it names. */
export interface ResolvedAlias {
  readonly name: string;
  readonly indexes: readonly string[];
  readonly version: number;
}

/**
 * What alias resolution leaves for the rest of a request, in its Hono env: the aliases the
 * client named (key checks judge those names) and, when the request cannot go through
 * the alias, the error to answer once the caller is authenticated.
 */
export interface AliasUse {
  readonly aliases: readonly ResolvedAlias[];
  readonly refusal: MeiliError | null;
  /** The URL the client sent, before its aliases were resolved. */
  readonly clientUrl: string;
}

/** The alias use a request's env carries, if alias resolution rewrote it. */
export function aliasUseOf(env: unknown): AliasUse | undefined {
  if (typeof env !== "object" || env === null) return undefined;
  return (env as { miroirAliases?: AliasUse }).miroirAliases;
}

/**
 * This process's view of the aliases in the task store. Reads are synchronous (every
 * request resolves through it); the view is replaced as a whole, never edited, so a
 * request sees one alias version from start to end.
 */
export interface AliasTable {
  /** The alias of that name, or undefined when the name is not an alias. */
  resolve(name: string): ResolvedAlias | undefined;
  /** Whether any alias exists (requests skip resolution altogether when none does). */
  readonly empty: boolean;
  /** Every alias, by name. */
  list(): readonly AliasRecord[];
  /** Takes a change made here at once, ahead of the next read of the store. */
  apply(change: AliasRecord | { readonly deleted: string }): void;
  /** Reads every alias from the store now. */
  refresh(): Promise<void>;
}

export function createAliasTable(store: TaskStore): AliasTable {
  let records: readonly AliasRecord[] = [];
  let byName = new Map<string, AliasRecord>();
  // A change applied here while the store was read must not be put back by that read.
  let changesApplied = 0;

  function install(next: readonly AliasRecord[]): void {
    records = [...next].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    byName = new Map(records.map((record) => [record.name, record]));
  }

  return {
    resolve(name) {
      return byName.get(name);
    },
    get empty() {
      return records.length === 0;
    },
    list: () => records,
    apply(change) {
      changesApplied += 1;
      if ("deleted" in change) {
        install(records.filter((record) => record.name !== change.deleted));
        return;
      }
      const current = byName.get(change.name);
      // Another process's newer switch may already be here: keep the newest version.
      if (current !== undefined && current.version > change.version) return;
      install([...records.filter((record) => record.name !== change.name), change]);
    },
    async refresh() {
      const before = changesApplied;
      const read = await store.aliases.list();
      if (changesApplied !== before) return;
      install(read);
    },
  };
}

export interface AliasFollowerOptions {
  readonly table: AliasTable;
  readonly intervalMs: number;
  /** Runs the reads as the `alias-follower` duty (every process follows for itself). */
  readonly duties: DutyRunner;
}

/**
 * Keeps this process's aliases equal to the task store's, so that an alias created or
 * switched through another proxy sharing the store is followed here within one interval.
 */
export function startAliasFollower(options: AliasFollowerOptions): { stop(): Promise<void> } {
  const reads = startDuty(options.duties, {
    name: "alias-follower",
    intervalMs: options.intervalMs,
    mode: "everywhere",
    jitter: 0.1,
    run: () => options.table.refresh(),
  });
  return { stop: reads.stop };
}
