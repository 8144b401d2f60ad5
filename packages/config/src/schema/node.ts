import * as v from "valibot";
import { integer, nodeAddress, setting } from "./fields.js";

export const NODE_ID_PATTERN = /^[a-zA-Z0-9_.-]{1,64}$/;

/** One Meilisearch node of the fleet. */
export const nodeSchema = v.strictObject({
  id: v.pipe(
    v.string(),
    v.regex(NODE_ID_PATTERN, "must be 1 to 64 characters from a-z A-Z 0-9 _ . -"),
    v.description("Stable node id; never reuse the id of a removed node."),
  ),
  address: v.pipe(
    nodeAddress(),
    v.description("Base URL Miroir uses to reach the node, e.g. http://meili-0:7700."),
  ),
  replica_group: setting(integer(0), 0, "Replica group of the node, in 0..replica_groups-1."),
});

export const nodesSchema = v.pipe(
  v.array(nodeSchema),
  v.minLength(1, "list at least one node, each with an id and an address"),
  v.description("The Meilisearch nodes behind Miroir (at least one)."),
);
