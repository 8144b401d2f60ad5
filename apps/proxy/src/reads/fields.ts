import { type IndexField, mergeIndexFields } from "@miroir/merger";
import { askNodes, everyAnswer } from "../broadcast/ask-nodes.js";
import type { ProxyContext } from "../context.js";
import { indexPath } from "../node-client/index.js";

/** Large enough for every field of a node in one page. */
const ALL_FIELDS = 1_000_000;

export interface FieldsPage {
  readonly results: IndexField[];
  readonly offset: number;
  readonly limit: number;
  readonly total: number;
}

/**
 * `POST /indexes/{uid}/fields`: every node lists its fields under the client's filter, the
 * lists are merged (`mergeIndexFields`, @miroir/merger) and the client's window applied
 * after. Every node must answer, or some fields could be missing.
 */
export async function indexFields(
  ctx: ProxyContext,
  indexUid: string,
  query: Readonly<Record<string, unknown>>,
  window: { readonly offset: number; readonly limit: number },
): Promise<FieldsPage> {
  const listed = await askNodes<{ results: IndexField[] }>(
    ctx,
    ctx.nodes.nodeIds,
    {
      method: "POST",
      path: `${indexPath(indexUid)}/fields`,
      json: { ...query, offset: 0, limit: ALL_FIELDS },
    },
    { timeoutMs: ctx.config.connection_pool.request_timeout_ms },
  );
  const fields = mergeIndexFields([...everyAnswer(listed).values()].map((page) => page.results));
  return {
    results: fields.slice(window.offset, window.offset + window.limit),
    offset: window.offset,
    limit: window.limit,
    total: fields.length,
  };
}
