import { meiliError } from "@miroir/errors";
import type { AliasRecord } from "@miroir/taskstore";
import type { ProxyContext } from "../context.js";

/** Meilisearch's index uid rule; an alias name follows it, since clients use it as one. */
const INDEX_UID = /^[A-Za-z0-9_-]{1,400}$/;

/** What an alias is asked to name. */
export interface AliasTarget {
  readonly indexes: readonly string[];
}

/** Creates an alias; refused when the name is taken by an alias or an index. */
export async function createAlias(
  ctx: ProxyContext,
  name: string,
  target: AliasTarget,
): Promise<AliasRecord> {
  checkName(name);
  await checkTarget(ctx, name, target);
  if ((await ctx.indexes.describe(name)).exists) {
    throw conflict(`\`${name}\` is an index; an alias cannot take its name.`);
  }
  const created = await ctx.taskStore.aliases.create(name, target.indexes);
  if (created === null) {
    throw conflict(`The alias \`${name}\` already exists; switch it with PUT instead.`);
  }
  ctx.aliases.apply(created);
  return created;
}

/**
 * Points an alias at other indexes in one step. With `expectedVersion`, only if no other
 * switch came since that version (compare-and-set).
 */
export async function switchAlias(
  ctx: ProxyContext,
  name: string,
  target: AliasTarget,
  expectedVersion?: number,
): Promise<AliasRecord> {
  await checkTarget(ctx, name, target);
  const switched = await ctx.taskStore.aliases.switch(name, target.indexes, {
    historyKept: ctx.config.aliases.history_retention,
    ...(expectedVersion === undefined ? {} : { expectedVersion }),
  });
  if (switched.outcome === "missing") throw aliasNotFound(name);
  if (switched.outcome === "version_conflict") {
    ctx.aliases.apply(switched.alias);
    throw conflict(
      `The alias \`${name}\` is at version ${switched.alias.version}, not ${expectedVersion}: another switch came first.`,
    );
  }
  ctx.aliases.apply(switched.alias);
  return switched.alias;
}

export async function deleteAlias(ctx: ProxyContext, name: string): Promise<void> {
  if (!(await ctx.taskStore.aliases.delete(name))) throw aliasNotFound(name);
  ctx.aliases.apply({ deleted: name });
}

export async function getAlias(ctx: ProxyContext, name: string): Promise<AliasRecord> {
  const alias = await ctx.taskStore.aliases.get(name);
  if (alias === null) throw aliasNotFound(name);
  return alias;
}

export function aliasNotFound(name: string) {
  return meiliError("miroir_alias_not_found", `Alias \`${name}\` not found.`);
}

function conflict(message: string) {
  return meiliError("miroir_alias_conflict", message);
}

function invalid(message: string) {
  return meiliError("miroir_invalid_request", message);
}

function checkName(name: string): void {
  if (!INDEX_UID.test(name)) {
    throw invalid(
      `\`${name}\` is not a valid alias name: like an index uid, it holds only alphanumeric characters, hyphens (-) and underscores (_), at most 400 bytes.`,
    );
  }
}

async function checkTarget(ctx: ProxyContext, name: string, target: AliasTarget): Promise<void> {
  const { indexes } = target;
  if (!Array.isArray(indexes) || indexes.length === 0) {
    throw invalid("`indexes` must be a non-empty array of index uids.");
  }
  for (const uid of indexes) {
    if (typeof uid !== "string" || !INDEX_UID.test(uid)) {
      throw invalid(`\`indexes\` holds \`${String(uid)}\`, which is not a valid index uid.`);
    }
    if (uid === name) throw invalid(`The alias \`${name}\` cannot name itself.`);
    if (ctx.aliases.resolve(uid) !== undefined) {
      throw invalid(`\`${uid}\` is an alias; an alias names indexes, not other aliases.`);
    }
  }
  if (new Set(indexes).size !== indexes.length) {
    throw invalid("`indexes` names an index twice.");
  }
  if (!ctx.config.aliases.require_target_exists) return;
  for (const uid of indexes) {
    if (!(await ctx.indexes.describe(uid)).exists) {
      throw meiliError("index_not_found", `Index \`${uid}\` not found.`);
    }
  }
}
