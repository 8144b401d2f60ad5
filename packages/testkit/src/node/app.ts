import { MeiliError, meiliError } from "@miroir/errors";
import { Hono } from "hono";
import type { AccessEnv } from "./auth/access.js";
import { KeyStore } from "./auth/key-store.js";
import { NodeFaults } from "./faults.js";
import { IndexRegistry } from "./index-registry.js";
import type { NodeState } from "./node-state.js";
import { DEFAULT_PAYLOAD_LIMIT } from "./request-body.js";
import { backupRoutes } from "./routes/backups/index.js";
import { batchRoutes } from "./routes/batches/index.js";
import { chatRoutes } from "./routes/chats/index.js";
import { compactionRoutes } from "./routes/compaction/index.js";
import { documentRoutes } from "./routes/documents/index.js";
import { dynamicSearchRuleRoutes } from "./routes/dynamic-search-rules/index.js";
import {
  defaultExperimentalFeatures,
  experimentalFeatureRoutes,
} from "./routes/experimental-features/index.js";
import { fieldRoutes } from "./routes/fields/index.js";
import { indexRoutes } from "./routes/indexes/index.js";
import { keyRoutes } from "./routes/keys/index.js";
import { renderTemplateRoutes } from "./routes/render-template/index.js";
import { searchRoutes } from "./routes/search/index.js";
import { settingsRoutes } from "./routes/settings/index.js";
import { systemRoutes } from "./routes/system/index.js";
import { taskRoutes } from "./routes/tasks/index.js";
import { notifyWebhooks, webhookRoutes } from "./routes/webhooks/index.js";
import type { Webhook } from "./routes/webhooks/webhook-settings.js";
import { TaskQueue } from "./task-queue.js";

export interface NodeAppOptions {
  /** Meilisearch's `--master-key`; without it the node checks no key at all. */
  masterKey?: string | null;
  /** Meilisearch's `--http-payload-size-limit` in bytes (100 MiB by default). */
  payloadLimit?: number;
  /** Where the test faults of the node are held (a fresh set by default). */
  faults?: NodeFaults;
}

/** A fresh node's state: no index, no task, the default keys under the master key. */
export function createNodeState(options: NodeAppOptions = {}): NodeState {
  const faults = options.faults ?? new NodeFaults();
  const masterKey = options.masterKey ?? null;
  const webhooks = new Map<string, Webhook>();
  const tasks = new TaskQueue(
    () => faults.taskFailure,
    () => faults.taskHold,
  );
  faults.onTasksReleased(() => tasks.wake());
  tasks.onFinished((task) => notifyWebhooks(webhooks, task));
  const features = defaultExperimentalFeatures();
  return {
    indexes: new IndexRegistry(features),
    tasks,
    keys: masterKey === null ? null : new KeyStore(masterKey),
    faults,
    payloadLimit: options.payloadLimit ?? DEFAULT_PAYLOAD_LIMIT,
    features,
    webhooks,
    chats: new Map(),
    searchRules: new Map(),
  };
}

/** The emulated node's HTTP API over a given state, without a server. */
export function nodeApp(state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  app.use("*", state.faults.middleware());
  // These sub-resources take POST only; Meilisearch never reads them as document ids.
  app.on(
    ["GET", "DELETE"],
    "/indexes/:uid/documents/:action{fetch|delete|delete-batch|edit}",
    (c) => c.body(null, 405),
  );
  for (const routes of [
    systemRoutes,
    indexRoutes,
    documentRoutes,
    searchRoutes,
    settingsRoutes,
    taskRoutes,
    keyRoutes,
    backupRoutes,
    compactionRoutes,
    experimentalFeatureRoutes,
    batchRoutes,
    webhookRoutes,
    fieldRoutes,
    chatRoutes,
    dynamicSearchRuleRoutes,
    renderTemplateRoutes,
  ]) {
    app.route("/", routes(state));
  }
  // As Meilisearch: a path served under other methods is 405, any other 404; no body.
  const served = app.routes
    .filter((route) => route.method !== "ALL")
    .map((route) => routePattern(route.path));
  app.notFound((c) => c.body(null, served.some((pattern) => pattern.test(c.req.path)) ? 405 : 404));
  app.onError((error) => {
    const meili =
      error instanceof MeiliError ? error : meiliError("internal", (error as Error).message);
    return meili.toResponse();
  });
  return app;
}

/** The emulated node's HTTP API (Hono), for in-process use without a server. */
export function createNodeApp(options: NodeAppOptions = {}): Hono<AccessEnv> {
  return nodeApp(createNodeState(options));
}

/** A Hono route path (`/indexes/:uid/search`, `/files/*`) as a regular expression. */
function routePattern(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) =>
      segment.startsWith(":")
        ? "[^/]+"
        : segment === "*"
          ? ".*"
          : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^${source}$`);
}
