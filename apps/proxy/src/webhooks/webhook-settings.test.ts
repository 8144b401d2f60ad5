import { MeiliError } from "@miroir/errors";
import { describe, expect, it } from "vitest";
import { applyWebhookSettings, webhookUuid, webhookView } from "./webhook-settings.js";

const UUID = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof MeiliError) return error.toBody().code;
    throw error;
  }
  return "none";
}

describe("webhook settings", () => {
  const before = { url: "https://a.example/hook", headers: { a: "1", b: "2" } };

  it("merges headers, removes one on null and all on headers: null, keeps the url unless given", () => {
    expect(applyWebhookSettings(UUID, before, { headers: { a: null, c: "3" } })).toEqual({
      url: "https://a.example/hook",
      headers: { b: "2", c: "3" },
    });
    expect(applyWebhookSettings(UUID, before, { headers: null }).headers).toEqual({});
    expect(applyWebhookSettings(UUID, before, { url: "https://b.example" }).url).toBe(
      "https://b.example",
    );
  });

  it("refuses what Meilisearch refuses, with its codes", () => {
    expect(codeOf(() => applyWebhookSettings(UUID, before, { url: null }))).toBe(
      "invalid_webhook_url",
    );
    expect(codeOf(() => applyWebhookSettings(UUID, undefined, { url: 3 }))).toBe(
      "invalid_webhook_url",
    );
    expect(codeOf(() => applyWebhookSettings(UUID, before, { headers: { a: 1 } }))).toBe(
      "invalid_webhook_headers",
    );
    expect(codeOf(() => applyWebhookSettings(UUID, before, { headers: [] }))).toBe(
      "invalid_webhook_headers",
    );
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`h${i}`, "v"]));
    expect(
      codeOf(() => applyWebhookSettings(UUID, undefined, { url: "https://x", headers: many })),
    ).toBe("invalid_webhook_headers");
    expect(codeOf(() => applyWebhookSettings(UUID, before, { isEditable: false }))).toBe(
      "immutable_webhook_is_editable",
    );
    expect(codeOf(() => applyWebhookSettings(UUID, before, "x"))).toBe("bad_request");
    expect(codeOf(() => applyWebhookSettings(UUID, before, { headers: { a: "x\ny" } }))).toBe(
      "invalid_webhook_headers",
    );
  });

  it("reads uuids with or without hyphens, in any case", () => {
    expect(webhookUuid(UUID.replaceAll("-", "").toUpperCase())).toBe(UUID);
    expect(codeOf(() => webhookUuid("1234"))).toBe("invalid_webhook_uuid");
  });

  it("never shows an Authorization value in full, whatever its case", () => {
    const view = webhookView(UUID, {
      url: "https://x",
      headers: { authorization: "Bearer long-secret", AUTHORIZATION: "short", other: "seen" },
    });
    expect(view.headers).toEqual({
      authorization: "BearXXX...",
      AUTHORIZATION: "XXX...",
      other: "seen",
    });
  });
});
