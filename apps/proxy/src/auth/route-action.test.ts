import { describe, expect, it } from "vitest";
import { routeRequirement } from "./route-action.js";

describe("routeRequirement", () => {
  it.each([
    ["POST", "/indexes/movies/search", "search", "movies"],
    ["GET", "/indexes/movies/search", "search", "movies"],
    ["POST", "/indexes/movies/facet-search", "search", "movies"],
    ["POST", "/indexes/movies/documents", "documents.add", "movies"],
    ["PUT", "/indexes/movies/documents", "documents.add", "movies"],
    ["GET", "/indexes/movies/documents/42", "documents.get", "movies"],
    ["DELETE", "/indexes/movies/documents/42", "documents.delete", "movies"],
    ["POST", "/indexes/movies/documents/delete-batch", "documents.delete", "movies"],
    ["POST", "/indexes/movies/documents/fetch", "documents.get", "movies"],
    ["GET", "/indexes/movies/settings", "settings.get", "movies"],
    ["PUT", "/indexes/movies/settings/synonyms", "settings.update", "movies"],
    ["DELETE", "/indexes/movies/settings", "settings.update", "movies"],
    ["GET", "/indexes/movies/stats", "stats.get", "movies"],
    ["PATCH", "/indexes/movies", "indexes.update", "movies"],
    ["GET", "/indexes", "indexes.get", null],
    ["POST", "/indexes", "indexes.create", null],
    ["GET", "/tasks/12", "tasks.get", null],
    ["POST", "/tasks/cancel", "tasks.cancel", null],
    ["DELETE", "/tasks", "tasks.delete", null],
    ["GET", "/keys", "keys.get", null],
    ["PATCH", "/keys/abc", "keys.update", null],
    ["POST", "/multi-search", "search", null],
    ["GET", "/version", "version", null],
    ["GET", "/indexes/caf%C3%A9/search", "search", "café"],
  ])("%s %s needs %s on %s", (method, path, action, indexUid) => {
    expect(routeRequirement(method, path)).toEqual({ action, indexUid });
  });

  it("leaves a route it does not name, or a method a route lacks, to keys holding every action", () => {
    expect(routeRequirement("POST", "/indexes/movies/compact")).toEqual({
      action: "*",
      indexUid: null,
    });
    expect(routeRequirement("DELETE", "/version")).toEqual({ action: "*", indexUid: null });
  });
});
