export type { RouteFamily } from "./app.js";
export { UnsafeConfigError } from "./auth/index.js";
export type { ProxyContext } from "./context.js";
export { createProxy, type ProxyOptions, type RunningProxy, routeFamilies } from "./proxy.js";
