import { meiliError } from "@miroir/errors";
import type { WebhookSettings } from "@miroir/taskstore";

/** A webhook as `/webhooks` shows it. */
export interface WebhookView {
  uuid: string;
  isEditable: boolean;
  url: string;
  headers: Record<string, string>;
}

/** Meilisearch's limits on the webhooks defined through the API. */
export const MAX_WEBHOOKS = 20;
export const MAX_WEBHOOK_HEADERS = 200;

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The uuid of a `/webhooks/{uuid}` path in its canonical form, or `invalid_webhook_uuid`. */
export function webhookUuid(raw: string): string {
  if (!UUID.test(raw)) {
    throw meiliError("invalid_webhook_uuid", `Invalid UUID: invalid character in \`${raw}\``);
  }
  const hex = raw.replaceAll("-", "").toLowerCase();
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join("-");
}

/**
 * A webhook after a POST (no `before`) or PATCH body, checked as Meilisearch checks it:
 * `url` replaces (`null` is refused), `headers` merge with `null` removing one header and
 * `headers: null` removing them all. Nothing is stored here.
 */
export function applyWebhookSettings(
  uuid: string,
  before: WebhookSettings | undefined,
  body: unknown,
): WebhookSettings {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw meiliError("bad_request", "Invalid value type: expected an object.");
  }
  const fields = body as Record<string, unknown>;
  if ("uuid" in fields) throw immutable("uuid", "immutable_webhook_uuid");
  if ("isEditable" in fields) throw immutable("isEditable", "immutable_webhook_is_editable");
  for (const field of Object.keys(fields)) {
    if (field !== "url" && field !== "headers") {
      throw meiliError(
        "bad_request",
        `Unknown field \`${field}\`: expected one of \`url\`, \`headers\``,
      );
    }
  }
  const url = nextUrl(uuid, before?.url, fields.url);
  const headers = nextHeaders(before?.headers ?? {}, fields.headers);
  checkHeaders(uuid, headers);
  if (!URL.canParse(url)) {
    throw meiliError("invalid_webhook_url", `Invalid URL \`${url}\`: relative URL without a base`);
  }
  return { url, headers };
}

function nextUrl(uuid: string, before: string | undefined, value: unknown): string {
  if (value === undefined && before !== undefined) return before;
  if (value === undefined || value === null || value === "") {
    throw meiliError("invalid_webhook_url", `The URL for the webhook \`${uuid}\` is missing.`);
  }
  if (typeof value !== "string") {
    throw meiliError(
      "invalid_webhook_url",
      `Invalid value type at \`.url\`: expected a string, but found ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function nextHeaders(
  before: Readonly<Record<string, string>>,
  value: unknown,
): Record<string, string> {
  if (value === null) return {};
  const headers = { ...before };
  if (value === undefined) return headers;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw meiliError(
      "invalid_webhook_headers",
      `Invalid value type at \`.headers\`: expected an object, but found ${JSON.stringify(value)}`,
    );
  }
  for (const [name, header] of Object.entries(value as Record<string, unknown>)) {
    if (header === null) {
      delete headers[name];
    } else if (typeof header === "string") {
      headers[name] = header;
    } else {
      throw meiliError(
        "invalid_webhook_headers",
        `Invalid value type at \`.headers.${name}\`: expected a string, but found ${JSON.stringify(header)}`,
      );
    }
  }
  return headers;
}

function checkHeaders(uuid: string, headers: Readonly<Record<string, string>>): void {
  if (Object.keys(headers).length > MAX_WEBHOOK_HEADERS) {
    throw meiliError(
      "invalid_webhook_headers",
      `Too many headers for the webhook \`${uuid}\`. Please limit the number of headers to ${MAX_WEBHOOK_HEADERS}. Hint: To remove an already defined header set its value to \`null\``,
    );
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      throw meiliError(
        "invalid_webhook_headers",
        `Invalid header name \`${name}\`: invalid HTTP header name`,
      );
    }
    if (/[\r\n\0]/.test(value)) {
      throw meiliError(
        "invalid_webhook_headers",
        `Invalid header value \`${name}\`: failed to parse header value`,
      );
    }
  }
}

function immutable(
  field: string,
  code: "immutable_webhook_uuid" | "immutable_webhook_is_editable",
) {
  return meiliError(code, `Immutable field \`${field}\`: expected one of \`url\`, \`headers\``);
}

/** What the API shows: `Authorization` values are never given back in full. */
export function webhookView(uuid: string, webhook: WebhookSettings): WebhookView {
  const headers = Object.fromEntries(
    Object.entries(webhook.headers).map(([name, value]) => [
      name,
      name.toLowerCase() === "authorization" ? redacted(value) : value,
    ]),
  );
  return { uuid, isEditable: true, url: webhook.url, headers };
}

function redacted(value: string): string {
  return value.length > 8 ? `${value.slice(0, 4)}XXX...` : "XXX...";
}
