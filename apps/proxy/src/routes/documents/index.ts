import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { readBodyChunks, readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { indexPath } from "../../node-client/index.js";
import { narrowable, narrowedFilter, shardClause } from "../../write/counting-parts.js";
import { broadcastDocumentWrite, deleteDocumentsByIds } from "../../write/document-deletion.js";
import { writeDocuments } from "../../write/document-write.js";
import { payloadFormatOf } from "../../write/payload-format.js";
import { accepted } from "../answers.js";
import { validIndexUid } from "../index-uid.js";

/** Document writes: shard-routed additions and deletions, broadcast filter/all/edit. */
export function documentWriteRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;

  for (const method of ["POST", "PUT"] as const) {
    routes.on(method, "/indexes/:indexUid/documents", async (c) => {
      const indexUid = validIndexUid(c.req.param("indexUid"));
      const format = payloadFormatOf(c.req.header("content-type"));
      const csvDelimiter = c.req.query("csvDelimiter") ?? ",";
      if (csvDelimiter.length !== 1 || csvDelimiter.charCodeAt(0) > 127) {
        throw meiliError(
          "invalid_document_csv_delimiter",
          "Invalid value in parameter `csvDelimiter`: expected a string of one character, but found the following string of 2 characters: `csvDelimiter`",
        );
      }
      const outcome = await writeDocuments(ctx, {
        indexUid,
        method,
        body: readBodyChunks(c, limit),
        format,
        primaryKey: c.req.query("primaryKey") ?? null,
        csvDelimiter,
        customMetadata: c.req.query("customMetadata") ?? null,
        skipCreation: c.req.query("skipCreation") === "true",
      });
      return accepted(outcome.task, outcome.degraded);
    });
  }

  routes.delete("/indexes/:indexUid/documents/:documentId", async (c) => {
    const outcome = await deleteDocumentsByIds(
      ctx,
      c.req.param("indexUid"),
      [c.req.param("documentId")],
      true,
      c.req.query("customMetadata") ?? null,
    );
    return accepted(outcome.task, outcome.degraded);
  });

  routes.post("/indexes/:indexUid/documents/delete-batch", async (c) => {
    const ids = await readJsonBody(c, limit, "sequence");
    if (!Array.isArray(ids)) {
      throw meiliError(
        "bad_request",
        "Json deserialize error: invalid type: expected a sequence of document ids",
      );
    }
    const outcome = await deleteDocumentsByIds(
      ctx,
      c.req.param("indexUid"),
      ids,
      false,
      c.req.query("customMetadata") ?? null,
    );
    return accepted(outcome.task, outcome.degraded);
  });

  routes.post("/indexes/:indexUid/documents/delete", async (c) => {
    const indexUid = c.req.param("indexUid");
    const body = await readJsonBody(c, limit);
    const filter = (body as { filter?: unknown } | null)?.filter;
    if (filter === undefined || filter === null) {
      throw meiliError("missing_document_filter", "Missing field `filter`");
    }
    const path = `${indexPath(indexUid)}/documents/delete`;
    const outcome = await broadcastDocumentWrite(
      ctx,
      indexUid,
      "documentDeletion",
      { providedIds: 0, deletedDocuments: null, originalFilter: JSON.stringify(filter) },
      narrowable(filter)
        ? (shards) => ({
            method: "POST",
            path,
            json: { ...(body as object), filter: narrowedFilter(filter, shards) },
          })
        : { method: "POST", path, json: body },
      c.req.query("customMetadata") ?? null,
    );
    return accepted(outcome.task, outcome.degraded);
  });

  routes.delete("/indexes/:indexUid/documents", async (c) => {
    const indexUid = c.req.param("indexUid");
    const outcome = await broadcastDocumentWrite(
      ctx,
      indexUid,
      "documentDeletion",
      // A node reports only the count for a delete-all.
      { deletedDocuments: null },
      // A deletion of the node's documents of some shards, counted part by part.
      (shards) => ({
        method: "POST",
        path: `${indexPath(indexUid)}/documents/delete`,
        json: { filter: shardClause(shards) },
      }),
      c.req.query("customMetadata") ?? null,
    );
    return accepted(outcome.task, outcome.degraded);
  });

  routes.post("/indexes/:indexUid/documents/edit", async (c) => {
    const indexUid = c.req.param("indexUid");
    const body = (await readJsonBody(c, limit)) as Record<string, unknown> | null;
    if (typeof body?.function !== "string") {
      throw meiliError("missing_document_edition_function", "Missing field `function`");
    }
    const outcome = await broadcastDocumentWrite(
      ctx,
      indexUid,
      "documentEdition",
      {
        context: body.context ?? null,
        function: body.function,
        originalFilter: body.filter === undefined ? null : JSON.stringify(body.filter),
        editedDocuments: null,
      },
      body.filter === undefined || body.filter === null || narrowable(body.filter)
        ? (shards) => ({
            method: "POST",
            path: `${indexPath(indexUid)}/documents/edit`,
            json: { ...body, filter: narrowedFilter(body.filter, shards) },
          })
        : { method: "POST", path: `${indexPath(indexUid)}/documents/edit`, json: body },
    );
    return accepted(outcome.task, outcome.degraded);
  });

  return routes;
}
