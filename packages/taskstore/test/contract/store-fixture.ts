import { afterEach, beforeEach } from "vitest";
import type { TaskStore } from "../../src/index.js";
import { FakeClock, type StoreLocation, type StoreLocationFactory } from "../store-locations.js";

export interface StoreFixture {
  readonly store: TaskStore;
  readonly clock: FakeClock;
  /** Opens another connection to the same data; closed after the test. */
  openAnother(): Promise<TaskStore>;
  /** Closes the current connection and opens a new one, as after a restart. */
  restart(): Promise<TaskStore>;
}

/** A fresh, empty store (and a fake clock) for every test of the calling suite. */
export function useStore(locations: StoreLocationFactory): StoreFixture {
  let location: StoreLocation;
  let clock: FakeClock;
  let store: TaskStore;
  let others: TaskStore[] = [];
  beforeEach(async () => {
    clock = new FakeClock();
    location = await locations();
    store = await location.open(clock.now);
  });
  afterEach(async () => {
    for (const other of others) await other.close();
    others = [];
    await store.close();
    await location.dispose();
  });
  return {
    get store() {
      return store;
    },
    get clock() {
      return clock;
    },
    async openAnother() {
      const other = await location.open(clock.now);
      others.push(other);
      return other;
    },
    async restart() {
      await store.close();
      store = await location.open(clock.now);
      return store;
    },
  };
}
