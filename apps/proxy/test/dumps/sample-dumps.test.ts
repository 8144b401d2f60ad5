import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type MeiliProcess, startMeiliProcess } from "@miroir/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";
import {
  allDocuments,
  type Fetch,
  type ImportAnswer,
  importEnded,
  indexesOf,
  keyOf,
  referenceBinary,
  SAMPLE_DUMPS,
  settingsOf,
} from "./dump-compare.js";

const reference = referenceBinary();
const MASTER_KEY = "dump-import-master-key";

/** Keys the dump names by uid (a v4 dump's keys have none: a new uid each). */
const DUMP_KEY_UIDS: Record<string, string[]> = {
  v5: ["192e54ae-32f8-4c61-85f5-eb2b1b255629", "292cd892-be06-452f-a90b-ef28dfc94077"],
  "v6_v1.13.0_batches_and_enqueued_tasks": [
    "42092c55-5496-4579-8a51-768ad7866998",
    "2004d2a6-2f86-431c-ba19-35a401b1812c",
  ],
};

describe.skipIf(reference === undefined)(
  "each sample dump imported into 3 nodes equals one real Meilisearch started from it",
  () => {
    const running: { stop(): Promise<void> }[] = [];
    afterAll(async () => {
      for (const each of running) await each.stop();
    });

    it.each(["v2", "v3", "v4", "v5", "v6_v1.13.0_batches_and_enqueued_tasks", "v6-with-webhooks"])(
      "%s",
      async (name) => {
        const file = join(SAMPLE_DUMPS, `${name}.dump`);
        const proxied: ProxiedCluster = await startProxiedCluster(
          { nodes: 3, rf: 2, shards: 6, masterKey: MASTER_KEY },
          { dump_import: { batch_size: 25, parallel_target_writes: 2 } },
        );
        running.push(proxied);
        const single: MeiliProcess = await startMeiliProcess({
          bin: reference,
          masterKey: String(proxied.cluster.config.node_master_key),
          importDump: file,
          maxIndexingMemory: "64MiB",
          startTimeoutMs: 60_000,
        });
        running.push(single);
        const node: Fetch = (path, init = {}) =>
          fetch(`${single.url}${path}`, {
            ...init,
            headers: {
              authorization: `Bearer ${String(proxied.cluster.config.node_master_key)}`,
              ...(init.headers ?? {}),
            },
          });

        const miroir: Fetch = (path, init = {}) =>
          proxied.miroir(path, {
            ...init,
            headers: { authorization: `Bearer ${MASTER_KEY}`, ...(init.headers ?? {}) },
          });
        const started = await miroir("/_miroir/dumps/import", {
          method: "POST",
          headers: { "content-type": "application/gzip" },
          body: readFileSync(file),
        });
        expect(started.status).toBe(202);
        const { id } = (await started.json()) as ImportAnswer;
        const ended = await importEnded(miroir, id);
        expect(ended).toMatchObject({ status: "succeeded", error: null, failedTasks: [] });
        // The single node processes the additions the dump still had enqueued: wait for them.
        for (let attempt = 0; attempt < 600; attempt++) {
          const tasks = (await (await node("/tasks?statuses=enqueued,processing")).json()) as {
            total: number;
          };
          if (tasks.total === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }

        const expectedIndexes = await indexesOf(node);
        expect(await indexesOf(miroir)).toEqual(expectedIndexes);
        let documents = 0;
        for (const { uid, primaryKey } of expectedIndexes) {
          expect(await settingsOf(miroir, uid), `settings of ${uid}`).toEqual(
            await settingsOf(node, uid),
          );
          if (primaryKey === null) continue;
          const expected = await allDocuments(node, uid, primaryKey);
          const imported = await allDocuments(miroir, uid, primaryKey);
          expect(imported.size, `documents of ${uid}`).toBe(expected.size);
          expect(Object.fromEntries(imported)).toEqual(Object.fromEntries(expected));
          documents += expected.size;
        }
        // Each sample holds documents but the webhooks one, which holds webhooks.
        if (name === "v6-with-webhooks") expect(documents).toBe(0);
        else expect(documents).toBeGreaterThan(0);
        const webhooks = await (await node("/webhooks")).json();
        expect((webhooks as { results: unknown[] }).results.length).toBe(
          name === "v6-with-webhooks" ? 3 : 0,
        );
        expect(await (await miroir("/webhooks")).json()).toEqual(webhooks);
        // A node started from a dump without a feature answers it `null` (unset), a fresh
        // node `false`: the same switch.
        const features = async (fetched: Fetch) =>
          Object.fromEntries(
            Object.entries(
              (await (await fetched("/experimental-features")).json()) as Record<string, unknown>,
            ).map(([feature, on]) => [feature, on ?? false]),
          );
        expect(await features(miroir)).toEqual(await features(node));
        for (const uid of DUMP_KEY_UIDS[name] ?? []) {
          const key = await keyOf(node, uid);
          expect(key).not.toBeNull();
          expect(await keyOf(miroir, uid)).toEqual(key);
        }
        await single.stop();
        await proxied.stop();
        running.length = 0;
      },
      180_000,
    );
  },
);
