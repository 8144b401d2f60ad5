import type { Logger } from "pino";
import type { NodeClient } from "./node-client/index.js";
import type { ProxyConfig } from "./proxy-config.js";

/**
 * Everything a route family needs, built once by `createProxy` and passed down:
 * configuration, the node client, the logger and the per-process request counter.
 */
export interface ProxyContext {
  readonly config: ProxyConfig;
  readonly nodes: NodeClient;
  readonly logger: Logger;
  /** Per-process sequence used to rotate query groups and replicas. */
  readonly seq: SequenceCounter;
}

export interface SequenceCounter {
  next(): number;
}

export function createSequenceCounter(): SequenceCounter {
  let value = 0;
  return {
    next() {
      value = (value + 1) % Number.MAX_SAFE_INTEGER;
      return value;
    },
  };
}
