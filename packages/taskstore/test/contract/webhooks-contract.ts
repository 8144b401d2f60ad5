import { describe, expect, it } from "vitest";
import type { StoreLocationFactory } from "../store-locations.js";
import { useStore } from "./store-fixture.js";

export function webhooksContract(locations: StoreLocationFactory): void {
  describe("webhooks", () => {
    const fixture = useStore(locations);

    it("lists webhooks in creation order, and replacing one keeps its place", async () => {
      const { store, clock } = fixture;
      await store.webhooks.put("b-first", { url: "http://one/", headers: {} });
      clock.advance(5);
      await store.webhooks.put("a-second", { url: "http://two/", headers: { x: "1" } });
      const replaced = await store.webhooks.put("b-first", {
        url: "http://uno/",
        headers: { Authorization: "Bearer k" },
      });
      expect(replaced).toEqual({
        uuid: "b-first",
        url: "http://uno/",
        headers: { Authorization: "Bearer k" },
        updatedAt: clock.time,
      });
      expect((await store.webhooks.list()).map((hook) => [hook.uuid, hook.url])).toEqual([
        ["b-first", "http://uno/"],
        ["a-second", "http://two/"],
      ]);
      expect(await store.webhooks.get("a-second")).toMatchObject({ headers: { x: "1" } });
      expect(await store.webhooks.get("missing")).toBeNull();
    });

    it("deletes a webhook, and a new one goes after every existing one", async () => {
      const { store } = fixture;
      await store.webhooks.put("one", { url: "http://one/", headers: {} });
      await store.webhooks.put("two", { url: "http://two/", headers: {} });
      expect(await store.webhooks.delete("one")).toBe(true);
      expect(await store.webhooks.delete("one")).toBe(false);
      await store.webhooks.put("one", { url: "http://one/", headers: {} });
      expect((await store.webhooks.list()).map((hook) => hook.uuid)).toEqual(["two", "one"]);
    });

    it("refuses a webhook without a uuid or url, and writes nothing", async () => {
      const { store } = fixture;
      await expect(store.webhooks.put("", { url: "http://x/", headers: {} })).rejects.toMatchObject(
        { code: "invalid_input" },
      );
      await expect(store.webhooks.put("u", { url: "", headers: {} })).rejects.toMatchObject({
        code: "invalid_input",
      });
      expect(await store.webhooks.list()).toEqual([]);
    });

    it("moves the notifier's cursor only forward", async () => {
      const { store } = fixture;
      expect(await store.webhookCursor.get()).toBeNull();
      expect(await store.webhookCursor.advance(100)).toBe(100);
      expect(await store.webhookCursor.advance(40)).toBe(100);
      expect(await store.webhookCursor.advance(250)).toBe(250);
      expect(await store.webhookCursor.get()).toBe(250);
      await expect(store.webhookCursor.advance(1.5)).rejects.toMatchObject({
        code: "invalid_input",
      });
    });

    it("keeps webhooks, their order and the cursor across a restart", async () => {
      await fixture.store.webhooks.put("z", { url: "http://z/", headers: {} });
      await fixture.store.webhooks.put("y", { url: "http://y/", headers: {} });
      await fixture.store.webhookCursor.advance(7);
      const reopened = await fixture.restart();
      expect((await reopened.webhooks.list()).map((hook) => hook.uuid)).toEqual(["z", "y"]);
      expect(await reopened.webhookCursor.get()).toBe(7);
    });
  });
}
