import { meiliError } from "@miroir/errors";
import { type Context, Hono } from "hono";
import { selectFields, withVectors } from "../../../engine/index.js";
import { type AccessEnv, authorize } from "../../auth/access.js";
import { browse, readDeletionIds, readFetchBody } from "../../documents/document-browse.js";
import { parseDocumentFilter } from "../../documents/document-filter.js";
import {
  addDocuments,
  deleteAllDocuments,
  deleteDocumentsByFilter,
  deleteDocumentsById,
} from "../../documents/document-writes.js";
import {
  checkCsvDelimiter,
  DOCUMENT_CONTENT_TYPES,
  parseDocumentPayload,
} from "../../documents/payload.js";
import { checkIndexUid } from "../../index-registry.js";
import type { NodeState } from "../../node-state.js";
import {
  booleanParam,
  checkKnownParams,
  integerParam,
  listParam,
  taskOptions,
} from "../../query-params.js";
import {
  checkContentType,
  checkKnownFields,
  expectObject,
  missingField,
  readBody,
  readJson,
} from "../../request-body.js";

/**
 * A write's documents as Meilisearch serves its task's update file: the JSON objects one
 * after the other, with no separator (despite the `application/x-ndjson` content type).
 */
function updateFile(documents: readonly unknown[]): string {
  return documents.map((document) => JSON.stringify(document)).join("");
}

/** `/indexes/{uid}/documents…`: add, update, browse, fetch, get, delete in all forms. */
export function documentRoutes(state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const { indexes, tasks, keys } = state;

  const write = (replace: boolean) => async (c: Context<AccessEnv>) => {
    const uid = checkIndexUid(c.req.param("uid"));
    checkKnownParams(c, ["primaryKey", "csvDelimiter", "customMetadata", "skipCreation"]);
    const type = checkContentType(c, DOCUMENT_CONTENT_TYPES);
    const delimiter = checkCsvDelimiter(c.req.query("csvDelimiter"), type);
    const skipCreation = booleanParam(c, "skipCreation", "invalid_skip_creation") ?? false;
    const documents = parseDocumentPayload(type, await readBody(c, state.payloadLimit), delimiter);
    const primaryKey = c.req.query("primaryKey");
    const summary = tasks.enqueue(
      "documentAdditionOrUpdate",
      uid,
      { receivedDocuments: documents.length, indexedDocuments: null },
      () => addDocuments(indexes, uid, { documents, replace, primaryKey, skipCreation }),
      { ...taskOptions(c), payload: updateFile(documents) },
    );
    return c.json(summary, 202);
  };
  app.post("/indexes/:uid/documents", authorize(keys, "documents.add"), write(true));
  app.put("/indexes/:uid/documents", authorize(keys, "documents.add"), write(false));

  app.get("/indexes/:uid/documents", authorize(keys, "documents.get"), (c) => {
    checkKnownParams(c, ["offset", "limit", "fields", "filter", "ids", "retrieveVectors", "sort"]);
    const index = indexes.get(checkIndexUid(c.req.param("uid")));
    return c.json(
      browse(index, {
        offset: integerParam(c, "offset", "invalid_document_offset", 0),
        limit: integerParam(c, "limit", "invalid_document_limit", 20),
        fields: listParam(c, "fields"),
        filter: c.req.query("filter"),
        ids: listParam(c, "ids"),
        sort: listParam(c, "sort"),
        retrieveVectors: booleanParam(c, "retrieveVectors", "invalid_document_retrieve_vectors"),
      }),
    );
  });

  app.post("/indexes/:uid/documents/fetch", authorize(keys, "documents.get"), async (c) => {
    const uid = checkIndexUid(c.req.param("uid"));
    const query = readFetchBody(await readJson(c, state.payloadLimit));
    return c.json(browse(indexes.get(uid), query));
  });

  app.post(
    "/indexes/:uid/documents/delete-batch",
    authorize(keys, "documents.delete"),
    async (c) => {
      const uid = checkIndexUid(c.req.param("uid"));
      checkKnownParams(c, ["customMetadata"]);
      const ids = readDeletionIds(await readJson(c, state.payloadLimit, "sequence"));
      const summary = tasks.enqueue(
        "documentDeletion",
        uid,
        { providedIds: ids.length, deletedDocuments: null, originalFilter: null },
        () => deleteDocumentsById(indexes, uid, ids),
        taskOptions(c),
      );
      return c.json(summary, 202);
    },
  );

  app.post("/indexes/:uid/documents/delete", authorize(keys, "documents.delete"), async (c) => {
    const uid = checkIndexUid(c.req.param("uid"));
    checkKnownParams(c, ["customMetadata"]);
    const body = expectObject(await readJson(c, state.payloadLimit));
    checkKnownFields(body, ["filter"]);
    if (body.filter === undefined || body.filter === null) {
      throw missingField("missing_document_filter", "filter");
    }
    const filter = parseDocumentFilter(body.filter, state.features.containsFilter);
    const summary = tasks.enqueue(
      "documentDeletion",
      uid,
      { providedIds: 0, deletedDocuments: null, originalFilter: JSON.stringify(body.filter) },
      () => deleteDocumentsByFilter(indexes, uid, filter, body.filter),
      taskOptions(c),
    );
    return c.json(summary, 202);
  });

  app.delete("/indexes/:uid/documents", authorize(keys, "documents.delete"), (c) => {
    const uid = checkIndexUid(c.req.param("uid"));
    checkKnownParams(c, ["customMetadata"]);
    const summary = tasks.enqueue(
      "documentDeletion",
      uid,
      { deletedDocuments: null },
      () => deleteAllDocuments(indexes, uid),
      taskOptions(c),
    );
    return c.json(summary, 202);
  });

  app.get("/indexes/:uid/documents/:id", authorize(keys, "documents.get"), (c) => {
    checkKnownParams(c, ["fields", "retrieveVectors"]);
    const index = indexes.get(checkIndexUid(c.req.param("uid")));
    const id = c.req.param("id");
    const doc = index.documents.get(id);
    if (doc === undefined) throw meiliError("document_not_found", `Document \`${id}\` not found.`);
    const retrieveVectors = booleanParam(c, "retrieveVectors", "invalid_document_retrieve_vectors");
    return c.json(
      withVectors(selectFields(doc, listParam(c, "fields")), doc, index.settings, retrieveVectors),
    );
  });

  app.delete("/indexes/:uid/documents/:id", authorize(keys, "documents.delete"), (c) => {
    const uid = checkIndexUid(c.req.param("uid"));
    checkKnownParams(c, ["customMetadata"]);
    const id = c.req.param("id");
    const summary = tasks.enqueue(
      "documentDeletion",
      uid,
      { providedIds: 1, deletedDocuments: null, originalFilter: null },
      () => deleteDocumentsById(indexes, uid, [id]),
      taskOptions(c),
    );
    return c.json(summary, 202);
  });

  return app;
}
