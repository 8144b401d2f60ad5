import { AsyncLocalStorage } from "node:async_hooks";

const excluded = new AsyncLocalStorage<ReadonlySet<string>>();

/**
 * Runs `read` with `nodeIds` kept out of its covering sets, as if unreachable: a
 * read-your-writes session uses it for the replicas that have not yet applied the
 * session's last write. Every read that `read` opens (`openRead`) sees them.
 */
export function withReadExclusions<T>(nodeIds: ReadonlySet<string>, read: () => T): T {
  return excluded.run(nodeIds, read);
}

/** The nodes the current read must not ask, when a caller excluded some. */
export function readExclusions(): ReadonlySet<string> | undefined {
  return excluded.getStore();
}
