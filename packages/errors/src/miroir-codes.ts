import type { ErrorSpec } from "./error-spec.js";

/**
 * Miroir's own error codes, added to Meilisearch's vocabulary for what only a cluster
 * can get wrong. Each one is described in docs/errors.md.
 */
export const miroirCodes = {
  miroir_primary_key_required: { status: 400, type: "invalid_request" },
  miroir_reserved_field: { status: 400, type: "invalid_request" },
  miroir_no_quorum: { status: 503, type: "system" },
  miroir_shard_unavailable: { status: 503, type: "system" },
  miroir_task_store_unavailable: { status: 503, type: "system" },
  miroir_idempotency_key_reused: { status: 409, type: "invalid_request" },
  miroir_idempotency_key_in_flight: { status: 409, type: "invalid_request" },
  miroir_invalid_auth: { status: 401, type: "auth" },
  miroir_settings_version_stale: { status: 503, type: "system" },
  miroir_multi_alias_not_writable: { status: 409, type: "invalid_request" },
  miroir_jwt_invalid: { status: 401, type: "auth" },
  miroir_jwt_scope_denied: { status: 403, type: "auth" },
  miroir_explain_forbidden: { status: 403, type: "auth" },
  miroir_node_unreachable: { status: 502, type: "system" },
  miroir_node_answer_invalid: { status: 502, type: "system" },
  miroir_settings_diverged: { status: 500, type: "internal" },
  miroir_node_not_found: { status: 404, type: "invalid_request" },
  miroir_illegal_transition: { status: 409, type: "invalid_request" },
  miroir_invalid_request: { status: 400, type: "invalid_request" },
  miroir_alias_not_found: { status: 404, type: "invalid_request" },
  miroir_alias_conflict: { status: 409, type: "invalid_request" },
  miroir_dump_import_not_found: { status: 404, type: "invalid_request" },
  miroir_reshard_not_found: { status: 404, type: "invalid_request" },
  miroir_resharding_in_progress: { status: 409, type: "invalid_request" },
} as const satisfies Record<string, ErrorSpec>;
