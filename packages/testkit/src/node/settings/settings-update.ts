import { meiliError } from "@miroir/errors";
import { defaultSettings, type Settings } from "../../engine/index.js";
import { checkKnownFields, expectObject } from "../request-body.js";
import { orderedSearchParameters, unclosedTag } from "./gated-settings.js";
import { SETTINGS, type SettingSpec, typoSizesError } from "./setting-catalogue.js";

/** A validated settings change: each named setting's new value, `null` to reset it. */
export type SettingsPatch = Record<string, unknown>;

/** The experimental switches that gate some settings (see SettingSpec.feature). */
export type SettingFeatures = Partial<Record<"foreignKeys" | "chatCompletions", boolean>>;

/** Refuses to write a setting whose experimental feature is off. */
function checkFeature(setting: SettingSpec, features: SettingFeatures): void {
  const feature = setting.feature;
  if (feature === undefined || features[feature.name] === true) return;
  throw meiliError(
    "feature_not_enabled",
    `setting \`${setting.name}\` in the index settings requires enabling the \`${feature.label}\` experimental feature. See ${feature.discussion}`,
  );
}

/** Validates a `PATCH /settings` body with each setting's own error code. */
export function readSettingsPatch(body: unknown, features: SettingFeatures): SettingsPatch {
  const object = expectObject(body);
  checkKnownFields(
    object,
    SETTINGS.map((s) => s.name),
  );
  const patch: SettingsPatch = {};
  for (const setting of SETTINGS) {
    if (!(setting.name in object)) continue;
    checkFeature(setting, features);
    const value = object[setting.name];
    patch[setting.name] =
      value === null ? null : setting.read(value, `.${setting.name}`, setting.code);
  }
  return patch;
}

/** Validates the body of one setting's own route. */
export function readSettingValue(
  setting: SettingSpec,
  body: unknown,
  features: SettingFeatures,
): SettingsPatch {
  checkFeature(setting, features);
  return { [setting.name]: body === null ? null : setting.read(body, "", setting.code) };
}

/** The patch that puts every setting back to its default (`DELETE /settings`). */
export function resetAllPatch(): SettingsPatch {
  return Object.fromEntries(SETTINGS.map((s) => [s.name, null]));
}

/** The details of a reset of every setting: the attribute lists report their `["*"]`. */
export function resetAllDetails(): SettingsPatch {
  return { ...resetAllPatch(), displayedAttributes: ["*"], searchableAttributes: ["*"] };
}

/** The settings as `GET /settings` shows them: gated ones only while their feature is on. */
export function settingsView(settings: Settings, features: SettingFeatures): Partial<Settings> {
  const view: Partial<Settings> = { ...settings };
  for (const setting of SETTINGS) {
    if (setting.feature !== undefined && features[setting.feature.name] !== true) {
      delete view[setting.name as keyof Settings];
    }
  }
  return view;
}

function mergeObject(
  current: Record<string, unknown>,
  change: Record<string, unknown>,
  defaults: Record<string, unknown>,
): Record<string, unknown> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(change)) {
    const fallback = defaults[key];
    if (value === null) merged[key] = structuredClone(fallback);
    else if (isPlainObject(value) && isPlainObject(fallback) && key !== "sortFacetValuesBy") {
      merged[key] = mergeObject(merged[key] as Record<string, unknown>, value, fallback);
    } else merged[key] = value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Settings after a patch: PUT settings replaced, PATCH settings merged field by field.
 * `indexUid` names the index in the errors of the result, as a settings task does.
 */
export function applySettingsPatch(
  settings: Settings,
  patch: SettingsPatch,
  indexUid: string,
): Settings {
  const defaults = defaultSettings() as unknown as Record<string, unknown>;
  const next = structuredClone(settings) as unknown as Record<string, unknown>;
  for (const setting of SETTINGS) {
    if (!(setting.name in patch)) continue;
    const value = patch[setting.name];
    if (value === null) next[setting.name] = defaults[setting.name];
    else if (setting.name === "embedders") {
      const embedders = { ...(next.embedders as Record<string, unknown>) };
      for (const [name, embedder] of Object.entries(value as Record<string, unknown>)) {
        if (embedder === null) delete embedders[name];
        else embedders[name] = embedder;
      }
      next.embedders = embedders;
    } else if (setting.method === "patch") {
      next[setting.name] = mergeObject(
        next[setting.name] as Record<string, unknown>,
        value as Record<string, unknown>,
        defaults[setting.name] as Record<string, unknown>,
      );
    } else next[setting.name] = value;
  }
  const faceting = next.faceting as Settings["faceting"];
  faceting.sortFacetValuesBy = { "*": "alpha", ...faceting.sortFacetValuesBy };
  const chat = (next as unknown as Settings).chat;
  chat.searchParameters = orderedSearchParameters(chat.searchParameters);
  if (unclosedTag(chat.documentTemplate)) {
    throw meiliError(
      "invalid_chat_setting_document_template",
      `Index \`${indexUid}\`: \`.chat.documentTemplate\`: Invalid document template: user error: cannot parse template: a tag is not closed.`,
    );
  }
  // one size may come from an earlier update: the task checks the pair it ends up with
  const { oneTypo, twoTypos } = (next as unknown as Settings).typoTolerance.minWordSizeForTypos;
  const invalid = typoSizesError(oneTypo, twoTypos);
  if (invalid !== undefined) {
    throw meiliError("invalid_settings_typo_tolerance", `Index \`${indexUid}\`: ${invalid}`);
  }
  return next as unknown as Settings;
}
