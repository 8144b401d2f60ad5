import { nodeAddressProblem } from "@miroir/config";
import { meiliError } from "@miroir/errors";
import type { TopologyChange } from "../../topology/topology-journal.js";

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
  if (typeof address !== "string") {
    throw meiliError("miroir_invalid_request", "`address` must be an http(s) URL of the node.");
  }
  const problem = nodeAddressProblem(address);
  if (problem !== null) throw meiliError("miroir_invalid_request", `\`address\` ${problem}.`);
  if (!Number.isInteger(group)) {
    throw meiliError("miroir_invalid_request", "`replicaGroup` must be an integer.");
  }
  return { kind: "add", id, address, group: group as number };
}
