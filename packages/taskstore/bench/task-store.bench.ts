import { afterAll, bench, describe, inject } from "vitest";
import type { TaskStore } from "../src/index.js";
import { redisLocations, type StoreLocation, sqliteLocations } from "../test/store-locations.js";

const redisUrl = inject("redisUrl");

/** One iteration: what the proxy does for a write — create the task, then record its node tasks. */
async function createAndUpdate(store: TaskStore): Promise<void> {
  const task = await store.tasks.create({
    indexUid: "movies",
    type: "documentAdditionOrUpdate",
    details: { receivedDocuments: 1000 },
  });
  await store.tasks.update(task.uid, {
    status: "processing",
    nodeTasks: { "meili-0": task.uid, "meili-1": task.uid },
    startedAt: Date.now(),
  });
}

async function benchBackend(name: string, locations: () => Promise<StoreLocation>) {
  const location = await locations();
  const store = await location.open(Date.now);
  describe(name, () => {
    afterAll(async () => {
      await store.close();
      await location.dispose();
    });
    bench("task create + status update", () => createAndUpdate(store), { time: 2_000 });
  });
}

await benchBackend("SQLite (file, WAL)", sqliteLocations());
if (redisUrl !== "") await benchBackend("Redis (loopback)", redisLocations(redisUrl));
