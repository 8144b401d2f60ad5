import { isErrorCode, meiliError } from "@miroir/errors";
import { RouterError, type Topology } from "@miroir/router";
import type { ProxyContext } from "../context.js";
import {
  applyTopologyChange,
  recordTopologyChange,
  type TopologyChange,
} from "./topology-journal.js";

/** A router refusal as the admin API answers it (its code: illegal transition, unknown node…). */
function routerRefusal(error: RouterError) {
  const code = isErrorCode(error.code) ? error.code : "miroir_invalid_request";
  return meiliError(code, error.message);
}

/**
 * Applies one change to the live topology and records it, in that order of checks: an
 * illegal change is refused before anything is stored; a stored change is what a restart
 * replays. Changes are serialised so two admin calls never race on the same topology.
 */
export function createNodeChanges(ctx: ProxyContext) {
  let queue: Promise<unknown> = Promise.resolve();
  return function change(next: TopologyChange): Promise<Topology> {
    const run = queue.then(async () => {
      let topology: Topology;
      try {
        topology = applyTopologyChange(ctx.cluster.topology, next);
      } catch (error) {
        if (error instanceof RouterError) throw routerRefusal(error);
        throw error;
      }
      await recordTopologyChange(ctx.taskStore, next);
      ctx.cluster.topology = topology;
      ctx.logger.info({ change: next }, "topology changed");
      return topology;
    });
    queue = run.catch(() => undefined);
    return run;
  };
}
