import type { ProxyContext } from "../../context.js";
import { LEADER_SCOPE } from "../../duties/lease-coordination.js";

/** One Miroir process in `GET /_miroir/proxies`. */
export interface ProxyView {
  readonly id: string;
  readonly address: string;
  readonly version: string;
  /** Whether it holds the leader lease (a process alone on its store always leads). */
  readonly leader: boolean;
  /** The background duties it runs, by name. */
  readonly duties: readonly string[];
  readonly startedAt: string;
  readonly lastSeen: string;
  /** The process that answered. */
  readonly self: boolean;
}

/**
 * `GET /_miroir/proxies`: every live Miroir process sharing the task store (each beats
 * every `leader_election.renew_interval_s` and is gone once it missed `lease_ttl_s`), the
 * leader among them with its fencing token, and the partitions this process holds.
 */
export async function proxiesView(ctx: ProxyContext) {
  const self = ctx.coordination.identity.id;
  const own = ctx.coordination.view();
  const alone = !ctx.config.leader_election.enabled;
  const [members, lease] = await Promise.all([
    ctx.taskStore.members.list(),
    alone ? Promise.resolve(null) : ctx.taskStore.leases.get(LEADER_SCOPE),
  ]);
  const leaderId = alone ? self : (lease?.holder ?? null);
  const proxies: ProxyView[] = members.map((member) => ({
    id: member.id,
    address: member.address,
    version: member.version,
    leader: member.id === leaderId,
    duties: member.id === self ? own.duties : member.duties,
    startedAt: new Date(member.startedAt).toISOString(),
    lastSeen: new Date(member.lastSeenAt).toISOString(),
    self: member.id === self,
  }));
  return {
    leader: leaderId === null ? null : { id: leaderId, token: lease?.token ?? null },
    self: { id: self, partitions: own.partitions },
    proxies,
  };
}
