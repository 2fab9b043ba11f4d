import { createRoute, z } from "@hono/zod-openapi";
import { WARM_STATES, WARM_STEPS } from "../../app/index.js";
import type { RouteContext, ServerApp } from "../context.js";
import { jsonResponse } from "../schemas.js";
import { isActive } from "../download-watch.js";
import { DownloadProgressSchema, toDownloadProgress } from "./downloads.js";

const EngineStateSchema = z.object({
  state: z.string(),
  model: z.string().nullable(),
  queueLength: z.int(),
  error: z
    .string()
    .nullable()
    .openapi({ description: "why the engine cannot answer, in plain words, when its state is error" }),
});

const WarmupSchema = z
  .object({
    state: z.enum(WARM_STATES).openapi({
      description:
        "warming: the model loads and the database's prompt is evaluated in the background (a question waits for it); " +
        "warm: the first question evaluates only its own part; cold: the idle model was unloaded; off: setting engine.prewarm, or no local model",
    }),
    step: z.enum(WARM_STEPS).optional(),
    error: z.string().optional(),
  })
  .openapi("Warmup");

export const DatabaseSchema = z
  .object({ id: z.string(), name: z.string(), path: z.string(), demo: z.boolean() })
  .openapi("Database");

const StatusSchema = z
  .object({
    modelDownloaded: z
      .boolean()
      .openapi({ description: "an LLM is installed, or a remote backend is configured" }),
    knowledgeReady: z.boolean().openapi({ description: "the current database's schema is trained" }),
    trainingDataLoaded: z
      .boolean()
      .openapi({ description: "question/SQL pairs or documentation exist for it" }),
    ready: z.boolean(),
    activeModel: z.string().nullable(),
    backend: z.string(),
    engine: EngineStateSchema,
    database: DatabaseSchema,
    warmup: WarmupSchema,
    download: DownloadProgressSchema.nullable(),
  })
  .openapi("Status");

const ResourcesSchema = z
  .looseObject({
    takenAt: z.string(),
    process: z.looseObject({ rssBytes: z.number(), uptimeSeconds: z.number() }),
    memory: z.object({ totalBytes: z.number(), freeBytes: z.number(), usedPercent: z.number() }),
    cpu: z.looseObject({ cores: z.int(), loadAverage: z.array(z.number()) }),
    disk: z.looseObject({ path: z.string(), freeBytes: z.number(), totalBytes: z.number() }).nullable(),
    gpu: z.looseObject({ type: z.string() }).nullable(),
    models: z.array(z.looseObject({ model: z.string(), backend: z.string() })),
    warnings: z.array(z.string()),
  })
  .openapi("Resources");

const status = createRoute({
  method: "get",
  path: "/status",
  tags: ["desktop app"],
  summary: "Whether a model is installed, the database trained, and askdb ready to answer",
  responses: { 200: jsonResponse(StatusSchema, "the status") },
});

const resources = createRoute({
  method: "get",
  path: "/api/status/resources",
  tags: ["status"],
  summary: "Memory, CPU, disk and engine state",
  responses: { 200: jsonResponse(ResourcesSchema, "the machine's resources") },
});

export function registerStatusRoutes(app: ServerApp, { askdb }: RouteContext): void {
  app.openapi(status, async (c) => {
    const current = askdb.models.downloads.list().find(isActive);
    return c.json({ ...(await askdb.status()), download: current ? toDownloadProgress(current) : null }, 200);
  });
  app.openapi(resources, async (c) => c.json(await askdb.monitor.snapshot(), 200));
}
