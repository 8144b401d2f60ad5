import { describe, expect, it } from "vitest";
import { isRealMode } from "../../src/index.js";
import { useNode } from "./node-under-test.js";

const node = useNode();
const emulatorOnly = "the fault controls exist only on emulated nodes (MEILI_BIN is set)";

describe(`fault controls (${isRealMode() ? `skipped: ${emulatorOnly}` : "emulated nodes"})`, () => {
  it.skipIf(isRealMode())("holds answers while paused and answers them on resume", async () => {
    const { node: n, request } = node();
    n.control?.pause();
    let answered = false;
    const pending = request("GET", "/health").then((answer) => {
      answered = true;
      return answer;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    n.control?.resume();
    expect((await pending).status).toBe(200);
  });

  it.skipIf(isRealMode())(
    "refuses connections once killed and keeps its state across a restart",
    async () => {
      const { node: n, request, settle } = node();
      await settle("POST", "/indexes/kept/documents", [{ id: 1 }]);
      await n.control?.kill();
      await expect(fetch(`${n.address}/health`)).rejects.toThrow();
      await n.control?.restart();
      expect((await request("GET", "/indexes/kept/documents/1")).body).toEqual({ id: 1 });
    },
  );

  it.skipIf(isRealMode())("delays every answer", async () => {
    const { node: n, request } = node();
    n.control?.delay(60);
    const started = performance.now();
    await request("GET", "/health");
    n.control?.delay(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it.skipIf(isRealMode())("fails the next matching requests with an internal error", async () => {
    const { node: n, request } = node();
    n.control?.failNext("/health", 503, 2);
    n.control?.failNext(/^POST \/indexes\/[^/]+\/search$/);
    for (let i = 0; i < 2; i++) {
      const failed = await request("GET", "/health");
      expect(failed.status).toBe(503);
      expect(failed.body).toMatchObject({ code: "internal", type: "internal" });
      expect(failed.headers.get("retry-after")).toBe("10");
    }
    expect((await request("GET", "/health")).status).toBe(200);
    expect((await request("POST", "/indexes/any/search", {})).status).toBe(500);
  });

  it.skipIf(isRealMode())("fails the matching tasks with a Meilisearch-shaped error", async () => {
    const { node: n, settle, request } = node();
    n.control?.failTasks((task) => task.type === "settingsUpdate");
    const failed = await settle("PATCH", "/indexes/rollback/settings", {
      sortableAttributes: ["x"],
    });
    n.control?.failTasks(undefined);
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
  });

  it.skipIf(isRealMode())(
    "keeps matching tasks enqueued until released, and lets a cancelation cancel them",
    async () => {
      const { node: n, request, settle } = node();
      n.control?.holdTasks((task) => task.indexUid === "held");
      const first = await request("POST", "/indexes/held/documents", [{ id: 1 }]);
      const second = await request("POST", "/indexes/held/documents", [{ id: 2 }]);
      const [one, two] = [first, second].map(
        (answer) => (answer.body as { taskUid: number }).taskUid,
      );
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(((await request("GET", `/tasks/${one}`)).body as { status: string }).status).toBe(
        "enqueued",
      );
      const cancelation = await settle("POST", `/tasks/cancel?uids=${one}`);
      expect(cancelation).toMatchObject({ status: "succeeded", details: { canceledTasks: 1 } });
      expect((await request("GET", `/tasks/${one}`)).body).toMatchObject({
        status: "canceled",
        canceledBy: cancelation.uid,
      });
      expect(((await request("GET", `/tasks/${two}`)).body as { status: string }).status).toBe(
        "enqueued",
      );
      n.control?.releaseTasks();
      for (let attempt = 0; attempt < 100; attempt++) {
        const task = (await request("GET", `/tasks/${two}`)).body as { status: string };
        if (task.status === "succeeded") break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(((await request("GET", `/tasks/${two}`)).body as { status: string }).status).toBe(
        "succeeded",
      );
      expect((await request("GET", "/indexes/held/documents/1")).status).toBe(404);
    },
  );
});
