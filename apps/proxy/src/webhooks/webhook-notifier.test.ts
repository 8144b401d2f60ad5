import { openTaskStore, type TaskStore } from "@miroir/taskstore";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { startWebhookReceiver, type WebhookReceiver } from "../../test/surface/webhook-receiver.js";
import { createLeaseCoordination, type ProcessCoordination } from "../duties/lease-coordination.js";
import { createProxyMetrics } from "../observability/index.js";
import { notifyFromNow, startWebhookNotifier, type WebhookNotifier } from "./webhook-notifier.js";

describe("the webhook notifier", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(): Promise<{ store: TaskStore; receiver: WebhookReceiver }> {
    const store = await openTaskStore({ backend: "sqlite", path: ":memory:" });
    const receiver = await startWebhookReceiver();
    cleanups.push(
      () => store.close(),
      () => receiver.close(),
    );
    await notifyFromNow(store);
    await store.webhooks.put("hook", { url: receiver.url, headers: {} });
    return { store, receiver };
  }

  type Notifier = WebhookNotifier & { coordination: ProcessCoordination };

  /** A notifier in a process of its own, coordinated with the others through `store`. */
  async function notifier(store: TaskStore, processId: string): Promise<Notifier> {
    const logger = pino({ level: "silent" });
    const coordination = createLeaseCoordination({
      store,
      identity: { id: processId, version: "test", startedAt: Date.now() },
      address: () => "",
      leaseTtlMs: 60_000,
      renewIntervalMs: 60_000,
      logger,
    });
    await coordination.tick();
    const started = startWebhookNotifier({
      store,
      duties: { logger, metrics: createProxyMetrics(), coordination },
      intervalMs: 60_000,
    });
    cleanups.push(
      () => coordination.stop(),
      () => started.stop(),
    );
    return { ...started, coordination };
  }

  async function finishedTask(store: TaskStore, status: "succeeded" | "failed") {
    const task = await store.tasks.create({ indexUid: "movies", type: "indexCreation" });
    const now = Date.now() + 1;
    await store.tasks.update(task.uid, { status, startedAt: now, finishedAt: now });
    return task.uid;
  }

  it("sends each finished task once, whatever the number of rounds", async () => {
    const { store, receiver } = await setUp();
    const sender = await notifier(store, "proxy-a");
    const first = await finishedTask(store, "succeeded");
    await sender.round();
    const second = await finishedTask(store, "failed");
    await sender.round();
    await sender.round();
    expect(receiver.notifications.map((n) => n.tasks.map((task) => task.uid))).toEqual([
      [first],
      [second],
    ]);
    expect(receiver.notifications[1]?.tasks[0]).toMatchObject({ status: "failed" });
  });

  it("lets only the owner of its partition send when several proxies share the store", async () => {
    const { store, receiver } = await setUp();
    const a = await notifier(store, "proxy-a");
    const b = await notifier(store, "proxy-b");
    const uid = await finishedTask(store, "succeeded");
    await a.round();
    await b.round();
    await a.round();
    expect(receiver.notifications.flatMap((n) => n.tasks.map((task) => task.uid))).toEqual([uid]);
    // The owner stops: the other takes the partition over and goes on from the cursor.
    await a.coordination.stop();
    await b.coordination.tick();
    const next = await finishedTask(store, "failed");
    await a.round();
    await b.round();
    await b.round();
    expect(receiver.notifications.flatMap((n) => n.tasks.map((task) => task.uid))).toEqual([
      uid,
      next,
    ]);
  });

  it("sends nothing for tasks that finished before notifications started", async () => {
    const store = await openTaskStore({ backend: "sqlite", path: ":memory:" });
    const receiver = await startWebhookReceiver();
    cleanups.push(
      () => store.close(),
      () => receiver.close(),
    );
    await finishedTask(store, "succeeded");
    await store.webhooks.put("hook", { url: receiver.url, headers: {} });
    const sender = await notifier(store, "proxy-a");
    await sender.round();
    await sender.round();
    expect(receiver.notifications).toEqual([]);
  });
});
