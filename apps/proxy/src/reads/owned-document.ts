import { meiliError } from "@miroir/errors";
import { clientDocument } from "@miroir/merger";
import { InvalidPrimaryKeyError, shardOf } from "@miroir/router";
import type { ProxyContext } from "../context.js";
import { indexPath } from "../node-client/index.js";
import { gather, onlyAnswerOf } from "../scatter/read-pipeline.js";
import { openRead } from "../scatter/read-scope.js";

type Document = Record<string, unknown>;

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
): Promise<Document> {
  const scope = openRead(ctx, undefined, indexUid);
  const path = `${indexPath(indexUid)}/documents/${encodeURIComponent(documentId)}`;
  let shard: number;
  try {
    shard = shardOf(documentId, scope.topology.shards);
  } catch (error) {
    if (!(error instanceof InvalidPrimaryKeyError)) throw error;
    throw meiliError("document_not_found", `Document \`${documentId}\` not found.`);
  }
  const { body } = await gather(ctx, scope, {
    shards: [shard],
    request: () => ({ method: "GET", path, query: params }),
    check: (reply) => reply.body as Document,
    merge: onlyAnswerOf<Document>(shard),
  });
  return clientDocument(body);
}
