import { openTaskStore, type TaskStore } from "@miroir/taskstore";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { startWebhookReceiver, type WebhookReceiver } from "../../test/surface/webhook-receiver.js";
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

  function notifier(store: TaskStore, holderId: string): WebhookNotifier {
    const started = startWebhookNotifier({
      store,
      duties: { logger: pino({ level: "silent" }), metrics: createProxyMetrics() },
      intervalMs: 60_000,
      holderId,
    });
    cleanups.push(() => started.stop());
    return started;
  }

  async function finishedTask(store: TaskStore, status: "succeeded" | "failed") {
    const task = await store.tasks.create({ indexUid: "movies", type: "indexCreation" });
    const now = Date.now() + 1;
    await store.tasks.update(task.uid, { status, startedAt: now, finishedAt: now });
    return task.uid;
  }

  it("sends each finished task once, whatever the number of rounds", async () => {
    const { store, receiver } = await setUp();
    const sender = notifier(store, "proxy-a");
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

  it("lets only the lease holder send when several proxies share the store", async () => {
    const { store, receiver } = await setUp();
    const a = notifier(store, "proxy-a");
    const b = notifier(store, "proxy-b");
    const uid = await finishedTask(store, "succeeded");
    await a.round();
    await b.round();
    await a.round();
    expect(receiver.notifications.flatMap((n) => n.tasks.map((task) => task.uid))).toEqual([uid]);
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
    const sender = notifier(store, "proxy-a");
    await sender.round();
    await sender.round();
    expect(receiver.notifications).toEqual([]);
  });
});
