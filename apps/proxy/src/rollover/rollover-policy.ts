import { meiliError } from "@miroir/errors";
import type { RolloverPolicy, RolloverPolicyRecord } from "@miroir/taskstore";
import { createAlias, switchAlias } from "../aliases/alias-changes.js";
import { createIndex } from "../broadcast/index-lifecycle.js";
import type { ProxyContext } from "../context.js";
import { generationUid, untilFinished } from "./rollover.js";

/** A policy as the admin API receives it. */
export interface PolicyInput extends RolloverPolicy {
  /** The primary key of the first generation, when the policy creates it. */
  readonly primaryKey: string | null;
}

/**
 * Sets the rollover policy of a write alias. When the alias does not exist yet, the first
 * generation (`<name>-000001`) is created with `primaryKey` and both aliases name it; an
 * existing write alias must name one index, which becomes the first generation, and the
 * read alias is created over it (or takes it) when needed.
 */
export async function setPolicy(
  ctx: ProxyContext,
  input: PolicyInput,
): Promise<RolloverPolicyRecord> {
  const existing = await ctx.taskStore.rolloverPolicies.get(input.name);
  let write = ctx.aliases.resolve(input.name);
  let generation = existing?.generation ?? 1;
  if (write === undefined) {
    const first = generationUid(input.name, 1);
    if (!(await ctx.indexes.describe(first)).exists) {
      await untilFinished(ctx, await createIndex(ctx, first, input.primaryKey));
    }
    await createAlias(ctx, input.name, { indexes: [first] });
    write = ctx.aliases.resolve(input.name);
  } else if (write.indexes.length !== 1) {
    throw meiliError(
      "miroir_invalid_request",
      `\`${input.name}\` names several indexes; a rollover policy needs a write alias of one index.`,
    );
  } else if (existing === null) {
    generation = generationOf(input.name, write.indexes[0] as string) ?? 1;
  }
  const current = write?.indexes[0] as string;
  const read = ctx.aliases.resolve(input.readAlias);
  if (read === undefined) {
    await createAlias(ctx, input.readAlias, { indexes: [current] });
  } else if (!read.indexes.includes(current)) {
    await switchAlias(ctx, input.readAlias, { indexes: [current, ...read.indexes] });
  }
  return ctx.taskStore.rolloverPolicies.put(input, generation);
}

function generationOf(name: string, uid: string): number | null {
  const match = new RegExp(`^${name}-([0-9]{6,})$`).exec(uid);
  return match === null ? null : Number(match[1]);
}
