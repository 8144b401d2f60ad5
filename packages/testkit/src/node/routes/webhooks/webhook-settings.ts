import { randomUUID } from "node:crypto";
import { meiliError } from "@miroir/errors";
import { checkKnownFields, expectObject, invalidType } from "../../request-body.js";

/** A webhook as stored: where to send finished tasks and with which headers. */
export interface Webhook {
  url: string;
  headers: Record<string, string>;
}

/** Meilisearch's limits on the webhooks defined through the API. */
export const MAX_WEBHOOKS = 20;
export const MAX_WEBHOOK_HEADERS = 200;

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A webhook uuid from the path, or Meilisearch's `invalid_webhook_uuid`. */
export function webhookUuid(raw: string): string {
  if (!/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(raw)) {
    throw meiliError("invalid_webhook_uuid", `Invalid UUID: invalid character in \`${raw}\``);
  }
  const hex = raw.replaceAll("-", "").toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function newWebhookUuid(): string {
  return randomUUID();
}

/**
 * Applies a POST or PATCH body to a webhook (a fresh one for POST): `url` replaces,
 * `headers` merge and a `null` header value removes that header, `headers: null` clears
 * them all; the result is checked as Meilisearch checks it.
 */
export function applyWebhookSettings(
  uuid: string,
  before: Webhook | undefined,
  raw: unknown,
): Webhook {
  const body = expectObject(raw);
  for (const immutable of ["uuid", "isEditable"] as const) {
    if (immutable in body) {
      throw meiliError(
        immutable === "uuid" ? "immutable_webhook_uuid" : "immutable_webhook_is_editable",
        `Immutable field \`${immutable}\`: expected one of \`url\`, \`headers\``,
      );
    }
  }
  checkKnownFields(body, ["url", "headers"]);
  let url = before?.url;
  if (body.url === null) throw missingUrl(uuid);
  if (body.url !== undefined) {
    if (typeof body.url !== "string") {
      throw invalidType("invalid_webhook_url", ".url", "a string", body.url);
    }
    url = body.url;
  }
  if (url === undefined || url === "") throw missingUrl(uuid);
  const headers: Record<string, string> = { ...(before?.headers ?? {}) };
  if (body.headers === null) {
    for (const name of Object.keys(headers)) delete headers[name];
  } else if (body.headers !== undefined) {
    if (typeof body.headers !== "object" || Array.isArray(body.headers)) {
      throw invalidType("invalid_webhook_headers", ".headers", "an object", body.headers);
    }
    for (const [name, value] of Object.entries(body.headers as Record<string, unknown>)) {
      if (value === null) {
        delete headers[name];
        continue;
      }
      if (typeof value !== "string") {
        throw invalidType("invalid_webhook_headers", `.headers.${name}`, "a string", value);
      }
      headers[name] = value;
    }
  }
  checkWebhook(uuid, { url, headers });
  return { url, headers };
}

function checkWebhook(uuid: string, webhook: Webhook): void {
  if (Object.keys(webhook.headers).length > MAX_WEBHOOK_HEADERS) {
    throw meiliError(
      "invalid_webhook_headers",
      `Too many headers for the webhook \`${uuid}\`. Please limit the number of headers to ${MAX_WEBHOOK_HEADERS}. Hint: To remove an already defined header set its value to \`null\``,
    );
  }
  for (const [name, value] of Object.entries(webhook.headers)) {
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
  if (!URL.canParse(webhook.url)) {
    throw meiliError(
      "invalid_webhook_url",
      `Invalid URL \`${webhook.url}\`: relative URL without a base`,
    );
  }
}

function missingUrl(uuid: string) {
  return meiliError("invalid_webhook_url", `The URL for the webhook \`${uuid}\` is missing.`);
}

/** A webhook as the API shows it: `Authorization` values are never given back in full. */
export function webhookView(uuid: string, webhook: Webhook) {
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
