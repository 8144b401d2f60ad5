import { type ErrorCode, meiliError } from "@miroir/errors";
import { checkKnownFields, expectObject, invalidType } from "../../request-body.js";

/** The prompts a chat workspace sends its LLM, Meilisearch's defaults until changed. */
const DEFAULT_PROMPTS = {
  system:
    "You are a highly capable research assistant with access to powerful search tools. IMPORTANT INSTRUCTIONS:1. When answering questions, you MUST make multiple tool calls (at least 2-3) to gather comprehensive information.2. Use different search queries for each tool call - vary keywords, rephrase questions, and explore different semantic angles to ensure broad coverage.3. Always explicitly announce BEFORE making each tool call by saying: \"I'll search for [specific information] now.\"4. Combine information from ALL tool calls to provide complete, nuanced answers rather than relying on a single source.5. For complex topics, break down your research into multiple targeted queries rather than using a single generic search. Meilisearch doesn't use the colon (:) syntax to filter but rather the equal (=) one. Separate filters from query and keep the q parameter empty if needed. Same for the filter parameter: keep it empty if need be. If you need to find documents that CONTAINS keywords simply put the keywords in the q parameter do no use a filter for this purpose. Whenever you get an error, read the error message and fix your error. ",
  searchDescription:
    'Query: \'best story about Rust before 2018\' with year: 2018, 2020, 2021\nlabel: analysis, golang, javascript\ntype: story, link\nvote: 300, 298, 278\n: {"q": "", "filter": "category = Rust AND type = story AND year < 2018 AND vote > 100"}\nQuery: \'A black or green car that can go fast with red brakes\' with maxspeed_kmh: 200, 150, 130\ncolor: black, grey, red, green\nbrand: Toyota, Renault, Jeep, Ferrari\n: {"q": "red brakes", "filter": "maxspeed_kmh > 150 AND color IN [\'black\', green]"}\nQuery: \'Superman movie released in 2018 or after\' with year: 2018, 2020, 2021\ngenres: Drama, Comedy, Adventure, Fiction\n: {"q":"Superman","filter":"genres IN [Adventure, Fiction] AND year >= 2018"}',
  searchQParam:
    "The search query string used to find relevant documents in the index. This should contain keywords or phrases that best represent what the user is looking for. More specific queries will yield more precise results.",
  searchFilterParam:
    "The search filter string used to find relevant documents in the index. It supports parentheses, `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `_geoRadius`, or `_geoBoundingBox`. Here is an example: \"price > 100 AND category = 'electronics'\". The following is a list of fields that can be filtered on: ",
  searchIndexUidParam:
    "The name of the index to search within. An index is a collection of documents organized for search. Selecting the right index ensures the most relevant results for the user query.",
};

export type ChatPrompts = typeof DEFAULT_PROMPTS;

/** A chat workspace's settings, as `GET /chats/{uid}/settings` shows them (key redacted). */
export interface ChatWorkspaceSettings {
  source: string;
  orgId: string | null;
  projectId: string | null;
  apiVersion: string | null;
  deploymentId: string | null;
  baseUrl: string | null;
  apiKey: string | null;
  prompts: ChatPrompts;
}

export function defaultWorkspaceSettings(): ChatWorkspaceSettings {
  return {
    source: "openAi",
    orgId: null,
    projectId: null,
    apiVersion: null,
    deploymentId: null,
    baseUrl: null,
    apiKey: null,
    prompts: { ...DEFAULT_PROMPTS },
  };
}

const SOURCES = ["openAi", "mistral", "azureOpenAi", "vLlm"];

/** Each text field of the settings with the code Meilisearch refuses a bad value with. */
const TEXT_FIELDS: Record<string, ErrorCode> = {
  orgId: "invalid_chat_completion_org_id",
  projectId: "invalid_chat_completion_project_id",
  apiVersion: "invalid_chat_completion_api_version",
  deploymentId: "invalid_chat_completion_deployment_id",
  baseUrl: "invalid_chat_completion_base_api",
  apiKey: "invalid_chat_completion_api_key",
};

const PROMPT_CODES: Record<keyof ChatPrompts, ErrorCode> = {
  system: "invalid_chat_completion_system_prompt",
  searchDescription: "invalid_chat_completion_search_description_prompt",
  searchQParam: "invalid_chat_completion_search_query_param_prompt",
  searchFilterParam: "invalid_chat_completion_search_filter_param_prompt",
  searchIndexUidParam: "invalid_chat_completion_search_index_uid_param_prompt",
};

/**
 * Applies a `PATCH /chats/{uid}/settings` body to `current`, validated with Meilisearch's
 * codes: fields it names change, `null` resets one, a `null` prompt keeps its value.
 */
export function patchWorkspaceSettings(
  current: ChatWorkspaceSettings,
  raw: unknown,
): ChatWorkspaceSettings {
  const body = expectObject(raw);
  checkKnownFields(body, [
    "source",
    "orgId",
    "projectId",
    "apiVersion",
    "deploymentId",
    "baseUrl",
    "apiKey",
    "prompts",
  ]);
  const next = { ...current, prompts: { ...current.prompts } };
  if (body.source !== undefined && body.source !== null) {
    if (typeof body.source !== "string") {
      throw invalidType("bad_request", ".source", "a string", body.source);
    }
    if (!SOURCES.includes(body.source)) {
      throw meiliError(
        "bad_request",
        `Unknown value \`${body.source}\` at \`.source\`: expected one of ${SOURCES.map((s) => `\`${s}\``).join(", ")}`,
      );
    }
    next.source = body.source;
  }
  for (const [field, code] of Object.entries(TEXT_FIELDS)) {
    if (!(field in body)) continue;
    const value = body[field];
    if (value !== null && typeof value !== "string") {
      throw invalidType(code, `.${field}`, "a string", value);
    }
    (next as unknown as Record<string, unknown>)[field] = value;
  }
  if (body.prompts !== undefined && body.prompts !== null) {
    if (typeof body.prompts !== "object" || Array.isArray(body.prompts)) {
      throw invalidType("bad_request", ".prompts", "an object", body.prompts);
    }
    const prompts = body.prompts as Record<string, unknown>;
    checkKnownFields(prompts, Object.keys(PROMPT_CODES), "bad_request", ".prompts");
    for (const [name, code] of Object.entries(PROMPT_CODES)) {
      const value = prompts[name];
      if (value === undefined || value === null) continue;
      if (typeof value !== "string") throw invalidType(code, `.prompts.${name}`, "a string", value);
      next.prompts[name as keyof ChatPrompts] = value;
    }
  }
  return next;
}

/**
 * The settings as Meilisearch answers them: the API key hidden, its first two characters
 * kept when it is ten characters or longer.
 */
export function workspaceView(settings: ChatWorkspaceSettings): ChatWorkspaceSettings {
  const key = settings.apiKey;
  const apiKey = key === null ? null : key.length >= 10 ? `${key.slice(0, 2)}XXXX...` : "XXX...";
  return { ...settings, apiKey };
}
