import type { ApiKey } from "./api-key.js";
import { secretFingerprint, secretsEqual } from "./secret-compare.js";

/**
 * The cluster's API keys as Miroir last read them, so that checking a request's key needs
 * no node call. Loaded on first use, re-read after every key write made through Miroir,
 * and re-read on a miss at most once per `missRefreshMs` (keys created on the nodes
 * directly appear after that delay; guessing keys cannot make Miroir hammer the nodes).
 */
export interface KeyCache {
  /** The key whose value is `token`, compared in constant time. */
  byValue(token: string): Promise<ApiKey | undefined>;
  /** The key with this uid. */
  byUid(uid: string): Promise<ApiKey | undefined>;
  /** Reads the keys again; call after creating, updating or deleting one. */
  refresh(): Promise<void>;
}

export interface KeyCacheOptions {
  /** Reads every key of the cluster. */
  readonly load: () => Promise<readonly ApiKey[]>;
  readonly missRefreshMs?: number;
  readonly now?: () => number;
}

interface Snapshot {
  readonly byFingerprint: ReadonlyMap<string, ApiKey>;
  readonly byUid: ReadonlyMap<string, ApiKey>;
  readonly loadedAt: number;
}

export function createKeyCache(options: KeyCacheOptions): KeyCache {
  const now = options.now ?? Date.now;
  const missRefreshMs = options.missRefreshMs ?? 1_000;
  let snapshot: Snapshot | undefined;
  let loading: Promise<Snapshot> | undefined;

  function reload(): Promise<Snapshot> {
    loading ??= options
      .load()
      .then((keys) => {
        snapshot = {
          byFingerprint: new Map(keys.map((key) => [secretFingerprint(key.key), key])),
          byUid: new Map(keys.map((key) => [key.uid, key])),
          loadedAt: now(),
        };
        return snapshot;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  }

  async function find(lookup: (current: Snapshot) => ApiKey | undefined) {
    const current = snapshot ?? (await reload());
    const found = lookup(current);
    if (found !== undefined || now() - current.loadedAt < missRefreshMs) return found;
    // While the keys cannot be read again, the last keys read keep answering.
    const fresh = await reload().catch(() => undefined);
    return fresh === undefined ? undefined : lookup(fresh);
  }

  return {
    byValue(token) {
      const fingerprint = secretFingerprint(token);
      return find((current) => {
        const key = current.byFingerprint.get(fingerprint);
        return key !== undefined && secretsEqual(token, key.key) ? key : undefined;
      });
    },
    byUid(uid) {
      return find((current) => current.byUid.get(uid.toLowerCase()));
    },
    async refresh() {
      // A load already running may have started before the write that calls this.
      await loading?.catch(() => undefined);
      await reload();
    },
  };
}
