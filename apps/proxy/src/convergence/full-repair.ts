import type { PassReport } from "./anti-entropy.js";
import type { RepairRunner } from "./repair-runner.js";

/**
 * The full repair of a node marked for one (its hints passed the bound): a repair pass
 * over every shard it holds, its own documents untrusted, then a check pass. True only
 * when the check compared every one of its shards with another replica (or the shard has
 * no other replica at all), found nothing different and no write in flight, and found
 * its settings equal to the others'.
 */
export async function repairNodeFully(repairs: RepairRunner, nodeId: string): Promise<boolean> {
  await repairs.run({ nodeId, repair: true, full: true });
  const check = await repairs.run({ nodeId, repair: false, full: true });
  return verifiedEqual(check, nodeId);
}

function verifiedEqual(report: PassReport, nodeId: string): boolean {
  return report.indexes.every(
    (index) =>
      !index.settings.divergent.includes(nodeId) &&
      index.shards.every((shard) => {
        const compared = Object.keys(shard.digests);
        return (
          !shard.unsettled &&
          shard.divergent === 0 &&
          compared.includes(nodeId) &&
          (compared.length >= 2 || shard.skipped.length === 0)
        );
      }),
  );
}
