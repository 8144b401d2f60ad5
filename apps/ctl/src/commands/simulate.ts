import {
  DEFAULT_SIMULATION_OPTIONS,
  FleetSpecError,
  MAX_SIMULATED_NODES,
  simulateFleet,
} from "@miroir/simulator";
import { Flags } from "@oclif/core";
import { MiroirCommand } from "../base-command.js";
import { CliFailure } from "../cli-failure.js";
import { ExitCode } from "../exit-codes.js";
import { renderSimulation } from "../output/simulation-view.js";

const SUFFIXES: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 };

/**
 * `10000000`, `1e7`, `10M`, `1.5B`, `250k` or `1_000_000`: a whole number of documents.
 * Anything else is a usage error (exit 2): oclif keeps the exit code of what a flag parser
 * throws, and a plain Error would end with 1.
 */
function parseDocumentCount(input: string): number {
  const match = /^(\d[\d_,]*(?:\.\d+)?(?:e\d+)?)([kmbgt]?)$/i.exec(input.trim());
  const value =
    match === null
      ? Number.NaN
      : Number((match[1] as string).replaceAll(/[_,]/g, "")) *
        (SUFFIXES[(match[2] as string).toLowerCase()] ?? 1);
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new CliFailure(
      `Expected a whole number of documents (e.g. 10000000, 1e7, 10M, 1.5B), got ${input}.`,
      { exitCode: ExitCode.usage },
    );
  }
  return value;
}

export default class Simulate extends MiroirCommand {
  static override summary = "Simulate a fleet offline: balance, movement, failures, fan-out.";
  static override description =
    `Places the shards of a fleet of simulated nodes with Miroir's own router and reports: shards and documents per node against the balls-into-bins expectation; documents copied when a node joins (mean over --trials random ids, against the least any placement could copy) or leaves; shards left without write quorum, degraded or unreadable when --fail nodes fail at random (mean over --trials draws, with the closed form) or when each zone fails; and the nodes one search asks, with and without a primary-key filter. Needs no running proxy. The same flags and --seed always give the same report.

Node ids are random (balance depends on them through the hash). Fleets of up to ${MAX_SIMULATED_NODES.toLocaleString("en-US")} nodes; placement costs shards × nodes hashes, a few seconds at 1,000 nodes and 4,096 shards.`;
  static override examples = [
    "<%= config.bin %> <%= command.id %> --nodes 20",
    "<%= config.bin %> <%= command.id %> --nodes 200 --groups 2 --rf 2 --shards 1024 --documents 1B",
    "<%= config.bin %> <%= command.id %> --nodes 60 --rf 3 --zones 3 --zone-layout spread --fail 1 --fail 5",
    "<%= config.bin %> <%= command.id %> --nodes 1000 --shards 4096 --seed 7 --json",
  ];
  static override flags = {
    nodes: Flags.integer({
      summary: "Meilisearch nodes in all, split evenly over the replica groups.",
      default: 20,
      min: 1,
      max: MAX_SIMULATED_NODES,
    }),
    groups: Flags.integer({ summary: "Replica groups.", default: 1, min: 1, max: 64 }),
    rf: Flags.integer({
      summary: "Replication factor inside each group.",
      default: 1,
      min: 1,
      max: 16,
    }),
    shards: Flags.integer({ summary: "Shards S.", default: 64, min: 1 }),
    documents: Flags.custom<number>({
      summary: "Documents in the index (10000000, 1e7, 10M, 1.5B).",
      default: 10_000_000,
      parse: async (input) => parseDocumentCount(input),
    })(),
    fail: Flags.integer({
      summary: "Nodes failing at once at random, one scenario per flag (repeatable).",
      multiple: true,
      min: 0,
    }),
    zones: Flags.integer({
      summary: "Failure domains (default: one per replica group).",
      min: 1,
      max: 64,
    }),
    "zone-layout": Flags.string({
      summary: "group: each group in one zone; spread: each group's nodes dealt over the zones.",
      options: ["group", "spread"],
      default: "group",
    }),
    trials: Flags.integer({
      summary: "Random newcomers and failure draws per scenario.",
      default: DEFAULT_SIMULATION_OPTIONS.trials,
      min: 1,
    }),
    queries: Flags.integer({
      summary: "Searches simulated for the fan-out.",
      default: DEFAULT_SIMULATION_OPTIONS.queries,
      min: 1,
    }),
    seed: Flags.integer({ summary: "Seed of every random draw.", default: 1 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Simulate);
    let report: ReturnType<typeof simulateFleet>;
    try {
      report = simulateFleet(
        {
          nodes: flags.nodes,
          replicaGroups: flags.groups,
          replicationFactor: flags.rf,
          shards: flags.shards,
          documents: flags.documents,
          zones: flags.zones ?? flags.groups,
          zoneLayout: flags["zone-layout"] as "group" | "spread",
          seed: flags.seed,
        },
        {
          ...DEFAULT_SIMULATION_OPTIONS,
          trials: flags.trials,
          queries: flags.queries,
          failures: flags.fail ?? DEFAULT_SIMULATION_OPTIONS.failures,
        },
      );
    } catch (error) {
      if (error instanceof FleetSpecError) {
        throw new CliFailure(error.message, { exitCode: ExitCode.usage });
      }
      throw error;
    }
    this.printResult(report, () => renderSimulation(report));
  }
}
