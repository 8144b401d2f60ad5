export {
  type AdminGateOptions,
  adminGate,
  assertAdminGuarded,
  UnsafeConfigError,
} from "./admin-gate.js";
export { type ApiKey, keyExpired } from "./api-key.js";
export { actionCovers, indexPatternCovers, type KeyAction } from "./key-actions.js";
export { createKeyCache, type KeyCache, type KeyCacheOptions } from "./key-cache.js";
export {
  type AuthEnv,
  type AuthenticateOptions,
  accessOf,
  assertIndexAllowed,
  authenticate,
  checkAccess,
  FULL_ACCESS,
  invalidApiKey,
  type RequestAccess,
} from "./request-access.js";
export { type RouteRequirement, routeRequirement } from "./route-action.js";
export { tenantSearchBytes } from "./tenant-filter.js";
export type { SearchFilter, SearchRules, TenantClaims } from "./tenant-token.js";
