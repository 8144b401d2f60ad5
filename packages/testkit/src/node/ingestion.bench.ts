import { bench, describe } from "vitest";
import { createNodeApp } from "./app.js";

const BATCH = Array.from({ length: 5_000 }, (_, i) => ({
  id: i,
  title: `document number ${i}`,
  genre: ["Drama", "Action", "Comedy"][i % 3],
  price: i % 100,
}));
const JSON_BODY = JSON.stringify(BATCH);
const NDJSON_BODY = BATCH.map((doc) => JSON.stringify(doc)).join("\n");

async function ingest(body: string, contentType: string): Promise<void> {
  const app = createNodeApp();
  const answer = await app.request("/indexes/bench/documents", {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });
  const { taskUid } = (await answer.json()) as { taskUid: number };
  for (;;) {
    const task = (await (await app.request(`/tasks/${taskUid}`)).json()) as { status: string };
    if (task.status === "succeeded") return;
    if (task.status === "failed") throw new Error("the bench batch failed");
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("document ingestion through the node's HTTP API (in process)", () => {
  bench("5 000 documents as a JSON array, until the task succeeds", () =>
    ingest(JSON_BODY, "application/json"),
  );
  bench("5 000 documents as NDJSON, until the task succeeds", () =>
    ingest(NDJSON_BODY, "application/x-ndjson"),
  );
});
