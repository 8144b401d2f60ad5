import { meiliError } from "@miroir/errors";

const INDEX_UID = /^[A-Za-z0-9_-]{1,400}$/;

/** Meilisearch's index uid rule, checked before anything is written. */
export function validIndexUid(uid: string): string {
  if (!INDEX_UID.test(uid)) {
    throw meiliError(
      "invalid_index_uid",
      `\`${uid}\` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 400 bytes.`,
    );
  }
  return uid;
}
