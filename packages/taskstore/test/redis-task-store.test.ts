import { describe, inject } from "vitest";
import { taskStoreContract } from "./contract/task-store-contract.js";
import { redisLocations } from "./store-locations.js";

const redisUrl = inject("redisUrl");

if (redisUrl === "") {
  // Only reachable outside CI: the global setup fails a CI run that has no Redis.
  describe.skip(`Redis task store: ${inject("redisUnavailable")}`, () => {});
} else {
  describe("Redis task store", () => {
    taskStoreContract(redisLocations(redisUrl));
  });
}
