/**
 * What the console's responses carry. The policy allows only the proxy's own scripts,
 * styles, images and API (no inline code, no CDN, no framing), so the admin key kept in
 * the page's session storage cannot be read by injected or foreign code.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

/** Hashed asset names change with their content, so a browser may keep them for a year. */
export const IMMUTABLE = "public, max-age=31536000, immutable";

/** The page names the current assets, so it is checked on every load. */
export const REVALIDATE = "no-cache";
