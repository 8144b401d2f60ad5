import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";
import { parseConfig } from "./parse-config.js";
import { stringifyConfig } from "./stringify-config.js";

const nodeArbitrary = (groups: number) =>
  fc
    .uniqueArray(fc.stringMatching(/^[a-zA-Z0-9_.-]{1,64}$/), { minLength: groups, maxLength: 8 })
    .map((ids) =>
      ids.map((id, index) => ({
        id,
        address: `http://10.0.0.${index + 1}:7700`,
        replica_group: index % groups,
      })),
    );

describe("stringifyConfig", () => {
  it("writes YAML that loads back to the same configuration", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((groups) =>
          fc.record({
            groups: fc.constant(groups),
            nodes: nodeArbitrary(groups),
            shards: fc.integer({ min: 1, max: 65_536 }),
            master_key: fc.option(fc.string({ minLength: 1 }), { nil: null }),
            policy: fc.constantFrom("partial", "error"),
            path: fc.string({ minLength: 1 }),
          }),
        ),
        ({ groups, nodes, shards, master_key, policy, path }) => {
          const config = parseConfig({
            replica_groups: groups,
            nodes,
            shards,
            master_key,
            scatter: { unavailable_shard_policy: policy },
            task_store: { path },
          });
          const text = stringifyConfig(config);
          expect(loadConfig({ file: { path: "round-trip.yaml", text } })).toEqual(config);
        },
      ),
      { numRuns: 60 },
    );
    // 60 full parse/stringify/load round trips: seconds on a loaded 2-core machine.
  }, 30_000);
});
