import { type ErrorCode, MeiliError, meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { type Document, patternCovers } from "../../../engine/index.js";
import { type AccessEnv, authorize } from "../../auth/access.js";
import { requireFeature } from "../../feature-gate.js";
import type { NodeState } from "../../node-state.js";
import { checkKnownFields, expectObject, invalidType, readJson } from "../../request-body.js";
import { LiquidParseError, LiquidRenderError, parseLiquid, renderLiquid } from "./liquid.js";

const TEMPLATE_KINDS = [
  "documentTemplate",
  "chatDocumentTemplate",
  "indexingFragment",
  "searchFragment",
  "inlineDocumentTemplate",
  "inlineFragment",
];
const INPUT_KINDS = ["indexDocument", "inlineDocument", "inlineSearch"];

function readPart(raw: unknown, path: string, code: ErrorCode, fields: string[], kinds: string[]) {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw invalidType(code, path, "an object", raw);
  }
  const part = raw as Record<string, unknown>;
  checkKnownFields(part, fields, code, path);
  if (part.kind === undefined) throw meiliError(code, `Missing field \`kind\` inside \`${path}\``);
  if (typeof part.kind !== "string" || !kinds.includes(part.kind)) {
    throw meiliError(
      code,
      `Unknown value \`${String(part.kind)}\` at \`${path}.kind\`: expected one of ${kinds.map((k) => `\`${k}\``).join(", ")}`,
    );
  }
  return part as Record<string, unknown> & { kind: string };
}

/** A failure of one step, worded as Meilisearch words it ("error while fetching input: …"). */
function step(what: "fetching template" | "fetching input" | "rendering template") {
  return (code: ErrorCode, message: string) => meiliError(code, `error while ${what}: ${message}`);
}

const templateError = step("fetching template");
const inputError = step("fetching input");

function multimodal(state: NodeState, what: string, fail: typeof templateError) {
  try {
    requireFeature(state.features, "multimodal", what);
  } catch (error) {
    throw fail("feature_not_enabled", (error as Error).message);
  }
}

/**
 * `POST /render-template` (behind `renderRoute`): a template taken from an index's
 * settings or given inline, rendered with a document of an index or given inline. The
 * emulated node renders the Liquid that document templates use (see liquid.ts); fragments
 * and search inputs, which need the `multimodal` feature and REST embedders, are not
 * emulated beyond that switch.
 */
export function renderTemplateRoutes(state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const { keys, indexes, features } = state;

  const fetchTemplate = (template: Record<string, unknown> & { kind: string }): string => {
    const need = (param: string) => {
      if (template[param] === undefined) {
        throw templateError(
          "invalid_render_template",
          `parameter \`${param}\` missing for kind \`${template.kind}\``,
        );
      }
      return String(template[param]);
    };
    switch (template.kind) {
      case "inlineDocumentTemplate":
        return need("inline");
      case "chatDocumentTemplate": {
        try {
          requireFeature(features, "chatCompletions", "accessing chat settings");
        } catch (error) {
          throw templateError("feature_not_enabled", (error as Error).message);
        }
        return indexes.get(need("indexUid")).settings.chat.documentTemplate;
      }
      case "documentTemplate": {
        const uid = need("indexUid");
        const embedder = need("embedder");
        const index = indexes.get(uid);
        if (index.settings.embedders[embedder] === undefined) {
          throw templateError(
            "invalid_render_template",
            `cannot find embedder \`${embedder}\` in index \`${uid}\``,
          );
        }
        // the emulated node serves userProvided embedders only, which have no template
        throw templateError(
          "invalid_render_template",
          `embedder \`${embedder}\` in index \`${uid}\` does not use a document template.`,
        );
      }
      case "inlineFragment":
        multimodal(state, "rendering an inline fragment", templateError);
        break;
      default:
        multimodal(state, "accessing fragments", templateError);
    }
    throw templateError("invalid_render_template", "fragments are not emulated by this node");
  };

  const fetchInput = (input: Record<string, unknown> & { kind: string }) => {
    const disallow = (param: string, name = param) => {
      if (input[param] !== undefined) {
        throw inputError(
          "invalid_render_input",
          `parameter \`${name}\` disallowed for kind \`${input.kind}\``,
        );
      }
    };
    const need = (param: string) => {
      if (input[param] === undefined) {
        throw inputError(
          "invalid_render_input",
          `parameter \`${param}\` missing for kind \`${input.kind}\``,
        );
      }
      return input[param];
    };
    if (input.kind === "inlineSearch") {
      multimodal(state, "rendering search", inputError);
      throw inputError("invalid_render_input", "search inputs are not emulated by this node");
    }
    if (input.kind === "inlineDocument") {
      disallow("indexUid", "index_uid");
      disallow("id");
      const inline = need("inline");
      if (typeof inline !== "object" || inline === null || Array.isArray(inline)) {
        const shown = Array.isArray(inline) ? "sequence" : `${typeof inline} \`${String(inline)}\``;
        throw inputError(
          "invalid_render_input",
          `parsing inline document: invalid type: ${shown.replace("number", "integer")}, expected a map at line 1 column ${JSON.stringify(inline).length}\n  - Note: the inline document must be a JSON map`,
        );
      }
      return { doc: inline as Document, searchable: () => true };
    }
    const uid = String(need("indexUid"));
    const id = String(need("id"));
    disallow("inline");
    const index = indexes.find(uid);
    if (index === undefined) {
      throw new MeiliError(
        meiliError(
          "index_not_found",
          `Cannot open index \`${uid}\`: Index \`${uid}\` not found.`,
        ).toBody(),
        404,
      );
    }
    const stored = index.documents.get(id);
    if (stored === undefined) {
      throw inputError("render_document_not_found", `document \`${id}\` not found in \`${uid}\``);
    }
    const { _vectors: _, ...doc } = stored;
    const searchable = index.settings.searchableAttributes;
    return {
      doc: doc as Document,
      searchable: (name: string) => searchable.some((pattern) => patternCovers(pattern, name)),
    };
  };

  app.post("/render-template", authorize(keys, "settings.get"), async (c) => {
    const body = expectObject(await readJson(c, state.payloadLimit));
    checkKnownFields(body, ["template", "input"]);
    if (body.template === undefined) throw meiliError("bad_request", "Missing field `template`");
    const template = readPart(
      body.template,
      ".template",
      "invalid_render_template",
      ["kind", "indexUid", "embedder", "fragment", "inline", "documentTemplateMaxBytes"],
      TEMPLATE_KINDS,
    );
    const input =
      body.input === undefined || body.input === null
        ? undefined
        : readPart(
            body.input,
            ".input",
            "invalid_render_input",
            ["kind", "indexUid", "id", "inline"],
            INPUT_KINDS,
          );
    requireFeature(features, "renderRoute", "calling the /render-template route");
    const source = fetchTemplate(template);
    let nodes: ReturnType<typeof parseLiquid>;
    try {
      nodes = parseLiquid(source);
    } catch (error) {
      if (!(error instanceof LiquidParseError)) throw error;
      throw templateError(
        "template_parsing_error",
        `user error: cannot parse template: liquid: ${error.message}`,
      );
    }
    if (input === undefined) return c.json({ template: source, rendered: null });
    const { doc, searchable } = fetchInput(input);
    const fields = Object.entries(doc).map(([name, value]) => ({
      name,
      value,
      is_searchable: searchable(name),
    }));
    try {
      return c.json({ template: source, rendered: renderLiquid(nodes, { doc, fields }) });
    } catch (error) {
      if (!(error instanceof LiquidRenderError)) throw error;
      throw step("rendering template")(
        "template_rendering_error",
        `user error: missing field in document: liquid: ${error.message}`,
      );
    }
  });

  return app;
}
