/** The path of an index on a node's API (`/indexes/{uid}`), the uid encoded as one segment. */
export function indexPath(uid: string): string {
  return `/indexes/${encodeURIComponent(uid)}`;
}
