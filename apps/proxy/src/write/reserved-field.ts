import { meiliError } from "@miroir/errors";

/** Fields Miroir stores on the nodes for itself (`_miroir_shard`…); clients may not write them. */
export const RESERVED_PREFIX = "_miroir_";

export function reservedFieldOf(attributes: Iterable<string>): string | undefined {
  for (const name of attributes) {
    if (name.startsWith(RESERVED_PREFIX)) return name;
  }
  return undefined;
}

export function reservedFieldError(field: string) {
  return meiliError(
    "miroir_reserved_field",
    `The document attribute \`${field}\` is reserved: attributes starting with \`${RESERVED_PREFIX}\` are managed by Miroir.`,
  );
}
