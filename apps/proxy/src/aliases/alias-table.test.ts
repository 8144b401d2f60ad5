import { openTaskStore, type TaskStore } from "@miroir/taskstore";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAliasTable } from "./alias-table.js";

describe("the alias table", () => {
  let store: TaskStore;
  beforeEach(async () => {
    store = await openTaskStore({ backend: "sqlite", path: ":memory:" });
  });
  afterEach(async () => {
    await store.close();
  });

  it("resolves what the store holds after a refresh, and nothing before", async () => {
    const table = createAliasTable(store);
    await store.aliases.create("movies", ["movies-v1"]);
    expect(table.empty).toBe(true);
    expect(table.resolve("movies")).toBeUndefined();
    await table.refresh();
    expect(table.empty).toBe(false);
    expect(table.resolve("movies")).toMatchObject({ indexes: ["movies-v1"], version: 1 });
  });

  it("keeps the newest version when an older one arrives late, and forgets a deleted alias", async () => {
    const table = createAliasTable(store);
    const created = await store.aliases.create("movies", ["v1"]);
    const switched = await store.aliases.switch("movies", ["v2"], { historyKept: 1 });
    if (created === null || switched.outcome !== "switched") throw new Error("setup failed");
    table.apply(switched.alias);
    table.apply(created);
    expect(table.resolve("movies")?.indexes).toEqual(["v2"]);
    table.apply({ deleted: "movies" });
    expect(table.resolve("movies")).toBeUndefined();
    expect(table.empty).toBe(true);
  });

  it("lists aliases by name", async () => {
    const table = createAliasTable(store);
    await store.aliases.create("b", ["x"]);
    await store.aliases.create("a", ["y"]);
    await table.refresh();
    expect(table.list().map((alias) => alias.name)).toEqual(["a", "b"]);
  });
});
