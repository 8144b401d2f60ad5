/** An API key in Meilisearch's shape, as `GET /keys` lists it. */
export interface ApiKey {
  readonly name: string | null;
  readonly description: string | null;
  readonly key: string;
  readonly uid: string;
  readonly actions: readonly string[];
  readonly indexes: readonly string[];
  readonly expiresAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Whether the key's `expiresAt` is past at `nowMs`. */
export function keyExpired(key: ApiKey, nowMs: number): boolean {
  return key.expiresAt !== null && Date.parse(key.expiresAt) <= nowMs;
}
