import { meiliError } from "@miroir/errors";
import { type Context, Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { PASS_JOB_TYPE } from "../../convergence/repair-runner.js";

interface RepairRequest {
  readonly indexUid?: string;
  readonly shard?: number;
}

/**
 * Anti-entropy on demand: `POST /_miroir/verify` compares replicas and reports what differs
 * (nothing changes); `POST /_miroir/repair` also repairs it. Both take an optional
 * `{indexUid, shard}` and answer the pass's report once it is over.
 * `POST /_miroir/repair/background` queues a repairing pass for the leader instead (202
 * with its job id): it runs throttled, saves its progress after every shard and survives
 * a failover. `GET /_miroir/repair/status` shows this process's pass in progress and its
 * last one, the background passes of the store, the hints pending per node and the
 * recovering nodes.
 */
export function adminRepairRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;
  const scopeOf = async (c: Context) => {
    const length = Number(c.req.header("content-length") ?? "0");
    const body = (length > 0 ? await readJsonBody(c, limit) : {}) as RepairRequest;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw invalid("The body must be an object: `{indexUid?, shard?}`.");
    }
    if (body.indexUid !== undefined && typeof body.indexUid !== "string") {
      throw invalid("`indexUid` must be a string.");
    }
    const shards =
      body.indexUid === undefined ? ctx.indexShards.max() : ctx.indexShards.of(body.indexUid);
    if (
      body.shard !== undefined &&
      !(Number.isInteger(body.shard) && body.shard >= 0 && body.shard < shards)
    ) {
      throw invalid(`\`shard\` must be an integer from 0 to ${shards - 1}.`);
    }
    return {
      ...(body.indexUid === undefined ? {} : { indexUid: body.indexUid }),
      ...(body.shard === undefined ? {} : { shard: body.shard }),
    };
  };
  routes.post("/_miroir/verify", async (c) =>
    c.json(await ctx.convergence.repairs.run({ ...(await scopeOf(c)), repair: false })),
  );
  routes.post("/_miroir/repair", async (c) =>
    c.json(await ctx.convergence.repairs.run({ ...(await scopeOf(c)), repair: true })),
  );
  routes.post("/_miroir/repair/background", async (c) => {
    const job = await ctx.taskStore.jobs.enqueue({
      type: PASS_JOB_TYPE,
      params: { ...(await scopeOf(c)), repair: true, throttled: true },
    });
    return c.json({ jobId: job.id, state: job.state }, 202);
  });
  routes.get("/_miroir/repair/status", async (c) => {
    const { handoff } = ctx.convergence;
    const background = (await ctx.taskStore.jobs.list())
      .filter((job) => job.type === PASS_JOB_TYPE)
      .map((job) => ({
        id: job.id,
        state: job.state,
        claimedBy: job.claimedBy,
        attempts: job.attempts,
        progress: job.progress,
        enqueuedAt: new Date(job.enqueuedAt).toISOString(),
        updatedAt: new Date(job.updatedAt).toISOString(),
      }));
    return c.json({
      ...ctx.convergence.repairs.status(),
      background,
      hintsPending: Object.fromEntries(handoff.pendingByNode()),
      recovering: [...handoff.recovering()].sort(),
      awaitingFullRepair: [...handoff.awaitingFullRepair()].sort(),
    });
  });
  return routes;
}

function invalid(message: string) {
  return meiliError("bad_request", message);
}
