import { isErrorCode, meiliError } from "@miroir/errors";
import { RouterError, type Topology } from "@miroir/router";
import type { ProxyContext } from "../../context.js";
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

/** Reads `{ id, address, replicaGroup }` of `POST /_miroir/nodes`. */
export function nodeToAdd(body: unknown): Extract<TopologyChange, { kind: "add" }> {
  const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const { id, address } = fields;
  const group = fields.replicaGroup ?? fields.replica_group ?? 0;
  if (typeof id !== "string" || !/^[A-Za-z0-9_.-]{1,128}$/.test(id)) {
    throw meiliError(
      "miroir_invalid_request",
      "`id` must be 1 to 128 characters among letters, digits, `_`, `-` and `.`.",
    );
  }
  if (typeof address !== "string" || !/^https?:\/\/[^\s/]+/.test(address)) {
    throw meiliError("miroir_invalid_request", "`address` must be an http(s) URL of the node.");
  }
  if (!Number.isInteger(group)) {
    throw meiliError("miroir_invalid_request", "`replicaGroup` must be an integer.");
  }
  return { kind: "add", id, address, group: group as number };
}
