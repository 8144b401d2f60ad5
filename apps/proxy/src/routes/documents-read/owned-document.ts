import { meiliError } from "@miroir/errors";
import { SHARD_FIELD } from "@miroir/merger";
import { InvalidPrimaryKeyError, shardOf } from "@miroir/router";
import type { ProxyContext } from "../../context.js";
import { openRead, shardsUnavailable } from "../../scatter/read-scope.js";
import { scatter } from "../../scatter/scatter.js";
import { indexPath } from "../index-uid.js";

/**
 * `GET /documents/{id}` from one replica of the id's shard (another replica, then another
 * group, when it fails). `document_not_found` and the other errors are the node's own.
 * With no replica left the answer is 503: a 404 would claim the document does not exist.
 */
export async function ownedDocument(
  ctx: ProxyContext,
  indexUid: string,
  documentId: string,
  params: Readonly<Record<string, string>>,
): Promise<Record<string, unknown>> {
  const scope = openRead(ctx);
  const path = `${indexPath(indexUid)}/documents/${encodeURIComponent(documentId)}`;
  let shard: number;
  try {
    shard = shardOf(documentId, scope.topology.shards);
  } catch (error) {
    if (!(error instanceof InvalidPrimaryKeyError)) throw error;
    throw meiliError("document_not_found", `Document \`${documentId}\` not found.`);
  }
  const outcome = await scatter(ctx, scope, {
    shards: [shard],
    call: (nodeId, _shards, timeoutMs) =>
      ctx.nodes.call(nodeId, { method: "GET", path, query: params, timeoutMs }),
    check: (reply) => reply.body,
  });
  const [answer] = outcome.answers;
  if (answer === undefined) throw shardsUnavailable(`shard ${shard}`);
  return withoutMiroirFields(answer.body);
}

function withoutMiroirFields(body: unknown): Record<string, unknown> {
  const document = { ...(body as Record<string, unknown>) };
  delete document[SHARD_FIELD];
  for (const key of Object.keys(document)) if (key.startsWith("_miroir_")) delete document[key];
  return document;
}
