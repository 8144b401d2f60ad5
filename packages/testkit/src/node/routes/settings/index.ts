import { Hono } from "hono";
import { checkProvidedVectors, defaultSettings } from "../../../engine/index.js";
import { type AccessEnv, authorize } from "../../auth/access.js";
import { checkIndexUid, touch } from "../../index-registry.js";
import type { NodeState } from "../../node-state.js";
import { readJson } from "../../request-body.js";
import { SETTINGS } from "../../settings/setting-catalogue.js";
import {
  applySettingsPatch,
  readSettingsPatch,
  readSettingValue,
  resetAllDetails,
  resetAllPatch,
  type SettingsPatch,
  settingsView,
} from "../../settings/settings-update.js";

/** `/indexes/{uid}/settings` and every sub-setting route, with Meilisearch's methods. */
export function settingsRoutes(state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const { indexes, tasks, keys } = state;
  const base = "/indexes/:uid/settings";

  const enqueue = (uid: string, patch: SettingsPatch, details?: SettingsPatch) =>
    tasks.enqueue("settingsUpdate", uid, details ?? patch, () => {
      // settle the new settings before creating a missing index, so a failure writes nothing
      const settings = applySettingsPatch(
        indexes.find(uid)?.settings ?? defaultSettings(),
        patch,
        uid,
      );
      const added = Object.entries((patch.embedders ?? {}) as Record<string, unknown>)
        .filter(([, embedder]) => embedder !== null)
        .map(([name]) => name);
      const existing = indexes.find(uid);
      if (existing !== undefined && added.length > 0) {
        checkProvidedVectors([...existing.documents], settings, uid, added);
      }
      const index = indexes.getOrCreate(uid);
      index.settings = settings;
      touch(index);
      return undefined;
    });

  app.get(base, authorize(keys, "settings.get"), (c) => {
    const index = indexes.get(checkIndexUid(c.req.param("uid")));
    return c.json(settingsView(index.settings, state.features));
  });
  app.patch(base, authorize(keys, "settings.update"), async (c) => {
    const uid = checkIndexUid(c.req.param("uid"));
    const patch = readSettingsPatch(await readJson(c, state.payloadLimit), state.features);
    return c.json(enqueue(uid, patch), 202);
  });
  app.delete(base, authorize(keys, "settings.update"), (c) => {
    const uid = checkIndexUid(c.req.param("uid"));
    return c.json(enqueue(uid, resetAllPatch(), resetAllDetails()), 202);
  });

  for (const setting of SETTINGS) {
    const path = `${base}/${setting.route}`;
    app.get(path, authorize(keys, "settings.get"), (c) => {
      const settings = indexes.get(checkIndexUid(c.req.param("uid"))).settings;
      return c.json((settings as unknown as Record<string, unknown>)[setting.name]);
    });
    app[setting.method](path, authorize(keys, "settings.update"), async (c) => {
      const uid = checkIndexUid(c.req.param("uid"));
      const body = await readJson(c, state.payloadLimit);
      const patch = readSettingValue(setting, body, state.features);
      return c.json(enqueue(uid, patch), 202);
    });
    app.delete(path, authorize(keys, "settings.update"), (c) => {
      return c.json(enqueue(checkIndexUid(c.req.param("uid")), { [setting.name]: null }), 202);
    });
  }
  return app;
}
