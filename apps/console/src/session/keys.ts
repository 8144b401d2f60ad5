/**
 * The keys the operator typed, kept in this tab's session storage: never in the URL,
 * never in local storage, gone when the tab closes.
 */
export interface StoredKey {
  get(): string;
  set(value: string): void;
  clear(): void;
}

function storedKey(name: string): StoredKey {
  return {
    get: () => sessionStorage.getItem(name) ?? "",
    set: (value) => sessionStorage.setItem(name, value),
    clear: () => sessionStorage.removeItem(name),
  };
}

/** The admin key, sent as `X-Admin-Key` to `/_miroir/*`. */
export const adminKey = storedKey("miroir.console.adminKey");

/** The search key, sent as `Authorization: Bearer` to the public search API. */
export const searchKey = storedKey("miroir.console.searchKey");
