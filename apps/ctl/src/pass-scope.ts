import { Flags } from "@oclif/core";
import type { PassScope } from "./client/admin-client.js";

/** The flags that narrow a verify or repair pass, shared by both commands. */
export const passScopeFlags = {
  index: Flags.string({ summary: "Only this index." }),
  shard: Flags.integer({ summary: "Only this shard (of every index in scope).", min: 0 }),
};

/** The pass scope those flags name: everything when neither is given. */
export function passScope(flags: { readonly index?: string; readonly shard?: number }): PassScope {
  return {
    ...(flags.index === undefined ? {} : { indexUid: flags.index }),
    ...(flags.shard === undefined ? {} : { shard: flags.shard }),
  };
}
