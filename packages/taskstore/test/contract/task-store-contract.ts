import type { StoreLocationFactory } from "../store-locations.js";
import {
  aliasesContract,
  indexShardsContract,
  rolloverPoliciesContract,
} from "./aliases-contract.js";
import { convergenceContract } from "./convergence-contract.js";
import { coordinationContract } from "./coordination-contract.js";
import { guaranteesContract } from "./guarantees-contract.js";
import { tasksContract } from "./tasks-contract.js";
import { webhooksContract } from "./webhooks-contract.js";

/** The behaviour every task store backend must have; run unchanged against each one. */
export function taskStoreContract(locations: StoreLocationFactory): void {
  tasksContract(locations);
  coordinationContract(locations);
  webhooksContract(locations);
  convergenceContract(locations);
  guaranteesContract(locations);
  aliasesContract(locations);
  rolloverPoliciesContract(locations);
  indexShardsContract(locations);
}
