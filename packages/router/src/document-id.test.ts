import { describe, expect, it } from "vitest";
import { documentIdText, isValidDocumentId, validateDocumentId } from "./document-id.js";
import { InvalidPrimaryKeyError } from "./errors.js";

describe("validateDocumentId", () => {
  it("accepts integers and 1 to 511 characters of a-z A-Z 0-9 - _, as Meilisearch does", () => {
    expect(validateDocumentId("product-000_123")).toBe("product-000_123");
    expect(validateDocumentId(42)).toBe("42");
    expect(validateDocumentId(-7)).toBe("-7");
    expect(validateDocumentId("a".repeat(511))).toBe("a".repeat(511));
    expect(isValidDocumentId("abc")).toBe(true);
    expect(isValidDocumentId(0)).toBe(true);
  });

  it("rejects what Meilisearch rejects with its code and message", () => {
    for (const bad of [
      "",
      "a".repeat(512),
      "user:9f3e",
      "é",
      "a b",
      1.5,
      Number.NaN,
      2 ** 60,
      true,
      null,
      {},
      [1],
    ]) {
      expect(isValidDocumentId(bad)).toBe(false);
      expect(() => validateDocumentId(bad)).toThrow(InvalidPrimaryKeyError);
    }
    try {
      validateDocumentId("a b");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidPrimaryKeyError);
      expect((error as InvalidPrimaryKeyError).code).toBe("invalid_document_id");
      expect((error as InvalidPrimaryKeyError).value).toBe("a b");
      expect((error as Error).message).toBe(
        'Document identifier `"a b"` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.',
      );
    }
  });
});

describe("documentIdText", () => {
  it("writes integers in decimal and keeps strings as they are", () => {
    expect(documentIdText(852)).toBe("852");
    expect(documentIdText("852")).toBe("852");
    expect(documentIdText(-3)).toBe("-3");
    expect(() => documentIdText(0.5)).toThrow(InvalidPrimaryKeyError);
    expect(() => documentIdText(Number.POSITIVE_INFINITY)).toThrow(InvalidPrimaryKeyError);
  });
});
