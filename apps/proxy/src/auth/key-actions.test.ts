import { describe, expect, it } from "vitest";
import { actionCovers, indexPatternCovers } from "./key-actions.js";

describe("actionCovers", () => {
  it("lets `*`, a family wildcard and `*.get` cover what Meilisearch lets them", () => {
    expect(actionCovers("*", "documents.add")).toBe(true);
    expect(actionCovers("documents.*", "documents.delete")).toBe(true);
    expect(actionCovers("documents.*", "indexes.get")).toBe(false);
    expect(actionCovers("*.get", "settings.get")).toBe(true);
    expect(actionCovers("*.get", "version")).toBe(true);
    expect(actionCovers("*.get", "settings.update")).toBe(false);
    expect(actionCovers("search", "search")).toBe(true);
  });

  it("lets only `*` and the action itself manage keys", () => {
    expect(actionCovers("*", "keys.create")).toBe(true);
    expect(actionCovers("*", "keys.get")).toBe(true);
    expect(actionCovers("*.get", "keys.get")).toBe(false);
    expect(actionCovers("keys.get", "keys.create")).toBe(false);
    expect(actionCovers("*.get", "keys.get")).toBe(false);
    expect(actionCovers("keys.get", "keys.get")).toBe(true);
  });
});

describe("indexPatternCovers", () => {
  it("matches `*`, a prefix pattern and an exact name", () => {
    expect(indexPatternCovers("*", "movies")).toBe(true);
    expect(indexPatternCovers("mov*", "movies")).toBe(true);
    expect(indexPatternCovers("mov*", "books")).toBe(false);
    expect(indexPatternCovers("movies", "movies")).toBe(true);
    expect(indexPatternCovers("movies", "movies2")).toBe(false);
  });
});
