import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";
import {
  DUMP_IMPORT_JOB,
  importNotFound,
  importView,
  startImport,
} from "../../dumps/dump-import.js";

/**
 * `POST /_miroir/dumps/import` takes a Meilisearch dump as the request body (streamed to
 * a spool file, never held in memory) and answers 202 with the import's progress, which
 * `GET /_miroir/dumps/import/{id}` shows until it ends. `?resume={id}` with the same dump
 * continues an interrupted or failed import from its checkpoint.
 */
export function adminDumpImportRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const settings = ctx.config.dump_import;

  routes.use("/_miroir/dumps/*", async (_c, next) => {
    if (!settings.enabled) return new Response(null, { status: 404 });
    await next();
  });

  routes.post("/_miroir/dumps/import", async (c) => {
    const resume = c.req.query("resume") ?? null;
    const body = c.req.raw.body;
    if (body === null)
      throw meiliError(
        "miroir_invalid_request",
        "The dump is missing: send it as the request body.",
      );
    const dir = settings.spool_dir === "" ? join(tmpdir(), "miroir-dumps") : settings.spool_dir;
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${randomUUID()}.dump`);
    let head: Buffer | null = null;
    const sniff = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (head === null || head.length < 2)
          head = Buffer.concat([head ?? Buffer.alloc(0), chunk]).subarray(0, 2);
        done(null, chunk);
      },
    });
    try {
      await pipeline(
        Readable.fromWeb(body as WebReadableStream<Uint8Array>),
        sniff,
        createWriteStream(file),
      );
    } catch (error) {
      await rm(file, { force: true });
      throw error;
    }
    const magic = head as Buffer | null;
    if (magic === null || magic[0] !== 0x1f || magic[1] !== 0x8b) {
      await rm(file, { force: true });
      throw meiliError(
        "miroir_invalid_request",
        "The body is not a Meilisearch dump (a `.dump` file is a gzipped tar archive).",
      );
    }
    const started = await startImport(ctx, file, resume);
    return c.json(started.progress, 202);
  });

  routes.get("/_miroir/dumps/import", async (c) => {
    const jobs = await ctx.taskStore.jobs.list();
    const imports = jobs
      .filter((job) => job.type.startsWith(`${DUMP_IMPORT_JOB}:`))
      .sort((a, b) => b.enqueuedAt - a.enqueuedAt)
      .map(importView);
    return c.json({ results: imports });
  });

  routes.get("/_miroir/dumps/import/:id", async (c) => {
    const id = c.req.param("id");
    const job = await ctx.taskStore.jobs.get(id);
    if (job === null || !job.type.startsWith(`${DUMP_IMPORT_JOB}:`)) throw importNotFound(id);
    return c.json(importView(job));
  });

  return routes;
}
