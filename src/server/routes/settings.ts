import { createRoute } from "@hono/zod-openapi";
import type { RouteContext, ServerApp } from "../context.js";
import { assertMayChangeSettings, assertMayEnableFlag } from "../security/index.js";
import {
  errors,
  FlagListSchema,
  FlagUpdateSchema,
  IdParam,
  jsonBody,
  jsonResponse,
  SetFlagRequestSchema,
  SettingsPatchSchema,
  SettingsSchema,
} from "../schemas/index.js";

const getSettings = createRoute({
  method: "get",
  path: "/api/settings",
  tags: ["settings"],
  summary: "Every setting: its value, default, where the value comes from, and what is allowed",
  responses: { 200: jsonResponse(SettingsSchema, "the settings") },
});

const patchSettings = createRoute({
  method: "patch",
  path: "/api/settings",
  tags: ["settings"],
  summary: "Change settings: all are validated first, then stored together",
  description:
    "Settings whose `http` is `token` (backends, privacy, allowed origins and databases) need the server's token; " +
    "`terminal` ones (models.dir) are refused. Over HTTP, openai.apiKeyEnv must end in _API_KEY or _TOKEN.",
  request: { body: jsonBody(SettingsPatchSchema) },
  responses: { 200: jsonResponse(SettingsSchema, "the settings after the change"), ...errors(400, 401, 403) },
});

const listFlags = createRoute({
  method: "get",
  path: "/api/flags",
  tags: ["settings"],
  summary: "Feature flags with their phase and state",
  responses: { 200: jsonResponse(FlagListSchema, "the flags") },
});

const setFlag = createRoute({
  method: "patch",
  path: "/api/flags/{id}",
  tags: ["settings"],
  summary: "Turn a feature flag on or off",
  description:
    "Turning on a flag with `needsToken` (custom providers, MCP over HTTP) needs the server's token.",
  request: { params: IdParam, body: jsonBody(SetFlagRequestSchema) },
  responses: {
    200: jsonResponse(FlagUpdateSchema, "the flag and every flag that changed with it"),
    ...errors(400, 401, 404, 409),
  },
});

export function registerSettingsRoutes(app: ServerApp, { askdb }: RouteContext): void {
  const current = () => ({ settings: askdb.settings.getAll(), details: askdb.settings.describe() });
  app.openapi(getSettings, (c) => c.json(current(), 200));
  app.openapi(patchSettings, (c) => {
    const changes = c.req.valid("json");
    assertMayChangeSettings(c, changes);
    askdb.settings.update(changes);
    return c.json(current(), 200);
  });
  app.openapi(listFlags, (c) => c.json({ flags: askdb.flags.list() }, 200));
  app.openapi(setFlag, (c) => {
    const { id } = c.req.valid("param");
    const { enabled, withPrerequisites } = c.req.valid("json");
    if (enabled) assertMayEnableFlag(c, askdb.flags, id, withPrerequisites === true);
    return c.json(enabled ? askdb.flags.enable(id, { withPrerequisites }) : askdb.flags.disable(id), 200);
  });
}
