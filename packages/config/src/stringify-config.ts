import { stringify } from "yaml";
import type { MiroirConfig } from "./schema/miroir-config.js";

/** The configuration as YAML that `loadConfig` reads back to an equal object. */
export function stringifyConfig(config: MiroirConfig): string {
  return stringify(config, { lineWidth: 0, nullStr: "null" });
}
