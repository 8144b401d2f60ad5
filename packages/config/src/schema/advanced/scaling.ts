import { boolean, integer, section, setting, text } from "../fields.js";

/** Plan §14.5: how proxy processes find each other. */
export const peerDiscoverySchema = section("Discovery of the other proxy processes.", {
  enabled: setting(boolean(), false, "Look up peers to partition background work."),
  service_name: setting(
    text(),
    "miroir-headless",
    "Headless service whose DNS records list the peers.",
  ),
  refresh_interval_s: setting(integer(1), 15, "Time between peer lookups."),
});

/** Plan §14.5 Mode B: one process runs singleton work. */
export const leaderElectionSchema = section("Leader lease for singleton work.", {
  enabled: setting(boolean(), false, "Hold a Redis lease; needs task_store.backend redis."),
  lease_ttl_s: setting(integer(1), 10, "Lease lifetime without renewal."),
  renew_interval_s: setting(integer(1), 3, "Renewal period; below lease_ttl_s."),
});

/** Plan §14.4: horizontal autoscaling of proxy processes. */
export const hpaSchema = section("Horizontal autoscaling.", {
  enabled: setting(
    boolean(),
    false,
    "Install the autoscaler; needs server.replicas ≥ 2 and redis.",
  ),
  min_replicas: setting(integer(2), 2, "Lowest process count."),
  max_replicas: setting(integer(2), 24, "Highest process count; at least min_replicas."),
  target_cpu_utilization: setting(integer(1, 100), 70, "Average CPU percent to keep."),
  target_memory_utilization: setting(integer(1, 100), 75, "Average memory percent to keep."),
  target_requests_in_flight: setting(integer(1), 500, "In-flight requests per process to keep."),
});
