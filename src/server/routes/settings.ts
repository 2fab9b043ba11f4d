import { createRoute, z } from "@hono/zod-openapi";
import { HTTP_ACCESS } from "../../settings/index.js";
import type { RouteContext, ServerApp } from "../context.js";
import { assertMayChangeSettings, assertMayEnableFlag } from "../security/index.js";
import { errors, IdParam, jsonBody, jsonResponse } from "../schemas.js";

const SettingSchema = z
  .object({
    key: z.string(),
    value: z.unknown(),
    default: z.unknown(),
    source: z.string().openapi({ description: "default | stored | env | flag" }),
    description: z.string(),
    allowed: z.string(),
    env: z.string().openapi({ description: "the environment variable that overrides it" }),
    http: z.enum(HTTP_ACCESS).openapi({
      description:
        "who may change it over HTTP: anyone, a caller with the server's token, or no one (the CLI only)",
    }),
    warning: z.string().optional(),
  })
  .openapi("Setting");

const SettingsSchema = z
  .object({ settings: z.record(z.string(), z.unknown()), details: z.array(SettingSchema) })
  .openapi("Settings");

const FlagSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    phase: z.string(),
    riskLevel: z.string(),
    enabled: z.boolean(),
    source: z.string().openapi({ description: "default | rollout | stored" }),
    prerequisites: z.array(z.string()),
    blockedBy: z
      .array(z.string())
      .openapi({ description: "prerequisites that are off and keep this flag off" }),
  })
  .openapi("Flag");

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
  request: {
    body: jsonBody(
      z
        .record(z.string().max(100), z.unknown())
        .openapi({ example: { "engine.threads": 4, "server.allowedOrigins": ["tauri://localhost"] } }),
    ),
  },
  responses: { 200: jsonResponse(SettingsSchema, "the settings after the change"), ...errors(400, 401, 403) },
});

const listFlags = createRoute({
  method: "get",
  path: "/api/flags",
  tags: ["settings"],
  summary: "Feature flags with their phase and state",
  responses: { 200: jsonResponse(z.object({ flags: z.array(FlagSchema) }), "the flags") },
});

const setFlag = createRoute({
  method: "patch",
  path: "/api/flags/{id}",
  tags: ["settings"],
  summary: "Turn a feature flag on or off",
  description:
    "Turning on a flag with `needsToken` (custom providers, MCP over HTTP) needs the server's token.",
  request: {
    params: IdParam,
    body: jsonBody(z.object({ enabled: z.boolean(), withPrerequisites: z.boolean().optional() })),
  },
  responses: {
    200: jsonResponse(
      z.object({
        flag: FlagSchema,
        changed: z.array(z.object({ id: z.string(), enabled: z.boolean(), previous: z.boolean() })),
      }),
      "the flag and every flag that changed with it",
    ),
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
