import type { ProgressSource } from "./progress-source.js";
import { rebalanceProgress } from "./rebalance-progress.js";

/** Every job kind the console shows progress for; a new kind is one more entry. */
export const progressSources: readonly ProgressSource[] = [rebalanceProgress];
