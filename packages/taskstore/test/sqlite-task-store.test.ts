import { describe } from "vitest";
import { taskStoreContract } from "./contract/task-store-contract.js";
import { sqliteLocations } from "./store-locations.js";

describe("SQLite task store", () => {
  taskStoreContract(sqliteLocations());
});
