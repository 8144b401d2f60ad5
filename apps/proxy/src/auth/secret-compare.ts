import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Whether two secrets are equal, in time that does not depend on where they differ nor on
 * their lengths (both sides are hashed to the same width first).
 */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** A fixed-width fingerprint of a secret, for lookups that must not key maps by the secret. */
export function secretFingerprint(secret: string): string {
  return createHash("sha256").update(secret).digest("base64url");
}
