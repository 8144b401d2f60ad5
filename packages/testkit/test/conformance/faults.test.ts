import { describe, expect, it } from "vitest";
import { isRealMode } from "../../src/index.js";
import { probe } from "../harness/process-binary.js";
import { type Json, useNode } from "./node-under-test.js";

const node = useNode({ relay: true });
const real = isRealMode();

async function statusOf(request: (method: string, path: string) => Promise<Json>, uid: number) {
  return (await request("GET", `/tasks/${uid}`)).body.status as string;
}

describe(`fault controls (${real ? "real" : "emulated"} node behind a relay)`, () => {
  it("holds answers while paused and answers them on resume", async () => {
    const { node: n, request } = node();
    n.control.pause();
    let answered = false;
    const pending = request("GET", "/health").then((answer) => {
      answered = true;
      return answer;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(false);
    n.control.resume();
    expect((await pending).status).toBe(200);
  });

  it("refuses connections once killed and keeps its state across a restart", async () => {
    const { node: n, request, settle } = node();
    await settle("POST", "/indexes/kept/documents", [{ id: 1 }]);
    await n.control.kill();
    expect(await probe(`${n.address}/health`)).toBe("ECONNREFUSED");
    await n.control.restart();
    expect((await request("GET", "/indexes/kept/documents/1")).body).toEqual({ id: 1 });
  });

  it("delays every answer", async () => {
    const { node: n, request } = node();
    n.control.delay(60);
    const started = performance.now();
    await request("GET", "/health");
    n.control.delay(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it.skipIf(real)(
    "fails the next matching requests with an internal error (emulated; real twin: the next test)",
    async () => {
      const { node: n, request } = node();
      n.control.failNext("/health", 503, 2);
      n.control.failNext(/^POST \/indexes\/[^/]+\/search$/);
      for (let i = 0; i < 2; i++) {
        const failed = await request("GET", "/health");
        expect(failed.status).toBe(503);
        expect(failed.body).toMatchObject({ code: "internal", type: "internal" });
        expect(failed.headers.get("retry-after")).toBe("10");
      }
      expect((await request("GET", "/health")).status).toBe(200);
      expect((await request("POST", "/indexes/any/search", {})).status).toBe(500);
    },
  );

  it("fails requests at the connection while the relay refuses or cuts them", async () => {
    const { node: n } = node();
    const relay = n.relay;
    if (relay === undefined) throw new Error("the node has no relay");
    await relay.refuse();
    expect(await probe(`${n.address}/health`)).toBe("ECONNREFUSED");
    await relay.heal();
    expect(await probe(`${n.address}/health`)).toBe(200);
    n.control.pause();
    const cut = probe(`${n.address}/health`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    relay.cut();
    expect(await cut).toBe("ECONNRESET");
    n.control.resume();
    expect(await probe(`${n.address}/health`)).toBe(200);
  });

  it.skipIf(real)(
    "fails the matching tasks with a Meilisearch-shaped error (emulated; real twins: the next two tests)",
    async () => {
      const { node: n, settle, request } = node();
      n.control.failTasks((task) => task.type === "settingsUpdate");
      const failed = await settle("PATCH", "/indexes/rollback/settings", {
        sortableAttributes: ["x"],
      });
      n.control.failTasks(undefined);
      expect(failed).toMatchObject({
        status: "failed",
        error: {
          code: "internal",
          type: "internal",
          link: "https://docs.meilisearch.com/errors#internal",
        },
      });
      expect((await request("GET", "/indexes/rollback")).status).toBe(404);
      const passed = await settle("PATCH", "/indexes/rollback/settings", {
        sortableAttributes: ["x"],
      });
      expect(passed.status).toBe("succeeded");
    },
  );

  it("fails a write for real on a node whose index has a conflicting primary key", async () => {
    const { settle } = node();
    await settle("POST", "/indexes", { uid: "conflicting", primaryKey: "sku" });
    const failed = await settle("POST", "/indexes/conflicting/documents", [{ id: 1 }]);
    expect(failed).toMatchObject({
      status: "failed",
      error: { code: "missing_document_id", type: "invalid_request" },
    });
  });

  it("fails dumps for real while the dump folder is broken, and dumps again once repaired", async () => {
    const { node: n, settle } = node();
    await n.control.breakDumps();
    const failed = await settle("POST", "/dumps");
    expect(failed).toMatchObject({
      status: "failed",
      type: "dumpCreation",
      details: { dumpUid: null },
      error: { code: "internal", type: "internal", message: "Not a directory (os error 20)" },
    });
    await n.control.repairDumps();
    expect((await settle("POST", "/dumps")).status).toBe("succeeded");
  });

  it.skipIf(real)(
    "keeps matching tasks enqueued until released, and lets a cancelation cancel them (emulated; real twin: the next test)",
    async () => {
      const { node: n, request, settle } = node();
      n.control.holdTasks((task) => task.indexUid === "held");
      const first = await request("POST", "/indexes/held/documents", [{ id: 1 }]);
      const second = await request("POST", "/indexes/held/documents", [{ id: 2 }]);
      const [one, two] = [first.body.taskUid as number, second.body.taskUid as number];
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(await statusOf(request, one)).toBe("enqueued");
      const cancelation = await settle("POST", `/tasks/cancel?uids=${one}`);
      expect(cancelation).toMatchObject({ status: "succeeded", details: { canceledTasks: 1 } });
      expect((await request("GET", `/tasks/${one}`)).body).toMatchObject({
        status: "canceled",
        canceledBy: cancelation.uid,
      });
      expect(await statusOf(request, two)).toBe("enqueued");
      n.control.releaseTasks();
      for (let attempt = 0; attempt < 100 && (await statusOf(request, two)) !== "succeeded"; ) {
        attempt++;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(await statusOf(request, two)).toBe("succeeded");
      expect((await request("GET", "/indexes/held/documents/1")).status).toBe(404);
    },
  );

  it("holds the whole queue until released; a cancelation sent meanwhile cancels a held task", async () => {
    const { node: n, request, waitForTask } = node();
    const hold = await n.control.holdQueue();
    const first = await request("POST", "/indexes/queued/documents", [{ id: 1 }]);
    const second = await request("POST", "/indexes/queued/documents", [{ id: 2 }]);
    const [one, two] = [first.body.taskUid as number, second.body.taskUid as number];
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await statusOf(request, one)).toBe("enqueued");
    expect(await statusOf(request, two)).toBe("enqueued");
    const cancel = await request("POST", `/tasks/cancel?uids=${one}`);
    await hold.release();
    const cancelation = await waitForTask(cancel.body.taskUid);
    expect(cancelation).toMatchObject({ status: "succeeded", details: { canceledTasks: 1 } });
    expect(await waitForTask(one)).toMatchObject({
      status: "canceled",
      canceledBy: cancelation.uid,
    });
    expect((await waitForTask(two)).status).toBe("succeeded");
    expect((await request("GET", "/indexes/queued/documents/1")).status).toBe(404);
    expect((await request("GET", "/indexes/queued/documents/2")).status).toBe(200);
  });
});
