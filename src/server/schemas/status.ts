import { z } from "@hono/zod-openapi";
import { WARM_STATES, WARM_STEPS } from "../../app/index.js";
import type { AskDbStatus, DatabaseInfo, WarmStatus } from "../../app/index.js";
import type { ResourceSnapshot } from "../../settings/index.js";
import type { SchemaColumn, SchemaTable } from "../../sql/index.js";
import { orNull } from "./common.js";
import type { Exact } from "./exact.js";
import { DownloadProgressSchema, type DesktopDownloadProgress } from "./models.js";

/** Liveness, readiness, resources and the databases: /health, /status, /api/status/*, /api/databases, /api/schema. */

export const HealthSchema = z
  .object({ status: z.literal("ok"), version: z.string(), uptimeSeconds: z.number() })
  .openapi("Health");

export const EngineStatusSchema = z
  .object({
    state: z.string().openapi({ description: "unloaded | loading | ready | busy | error" }),
    model: z.string().nullable(),
    queueLength: z.int(),
    error: z
      .string()
      .nullable()
      .openapi({ description: "why the engine cannot answer, in plain words, when its state is error" }),
  })
  .openapi("EngineStatus");

export const WarmupSchema = z
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
  .object({
    id: z.string(),
    name: z.string(),
    path: z.string(),
    demo: z.boolean().openapi({ description: "askdb's own demo database" }),
  })
  .openapi("Database");

export const StatusSchema = z
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
    engine: EngineStatusSchema,
    database: DatabaseSchema,
    warmup: WarmupSchema,
    download: orNull(DownloadProgressSchema),
  })
  .openapi("Status");

const HostHealthSchema = z.object({
  host: z.string(),
  url: z.string().nullable(),
  ok: z.boolean(),
  responseMs: z.number().nullable(),
  error: z.string().nullable(),
  consecutiveFailures: z.int(),
  lastCheckAt: z.string(),
  lastOkAt: z.string().nullable(),
});

const ModelPerformanceSchema = z.object({
  model: z.string(),
  backend: z.string(),
  totalRequests: z.int(),
  successfulRequests: z.int(),
  failedRequests: z.int(),
  successRate: z.number().nullable().openapi({ description: "0–1, null before the first request" }),
  promptTokensPerSecond: z.number().nullable(),
  tokensPerSecond: z.number().nullable(),
  peakMemoryBytes: z.number(),
  lastLoadMs: z.number().nullable(),
  updatedAt: z.string(),
});

export const ResourcesSchema = z
  .object({
    takenAt: z.string(),
    process: z.object({
      pid: z.int(),
      rssBytes: z.number(),
      heapUsedBytes: z.number(),
      heapTotalBytes: z.number(),
      externalBytes: z.number(),
      uptimeSeconds: z.number(),
    }),
    memory: z.object({ totalBytes: z.number(), freeBytes: z.number(), usedPercent: z.number() }),
    cpu: z.object({
      cores: z.int(),
      model: z.string(),
      loadAverage: z.tuple([z.number(), z.number(), z.number()]),
      loadPerCore: z.number(),
    }),
    disk: z
      .object({
        path: z.string().openapi({ description: "the folder asked about (where models live)" }),
        measuredPath: z
          .string()
          .openapi({ description: "the folder measured: path, or its nearest existing parent" }),
        freeBytes: z.number(),
        totalBytes: z.number(),
      })
      .nullable(),
    gpu: z
      .object({
        type: z.string(),
        devices: z.array(z.string()),
        vram: z.object({ totalBytes: z.number(), usedBytes: z.number(), freeBytes: z.number() }),
        unifiedMemoryBytes: z.number(),
      })
      .nullable()
      .openapi({ description: "null when there is no usable GPU (or GPU probing is off)" }),
    models: z.array(ModelPerformanceSchema),
    ollama: HostHealthSchema.nullable(),
    warnings: z.array(z.string()),
  })
  .openapi("Resources");

export const DatabaseListSchema = z
  .object({ current: DatabaseSchema, databases: z.array(DatabaseSchema) })
  .openapi("DatabaseList");

export const SwitchDatabaseRequestSchema = z
  .object({ path: z.string().trim().min(1).max(4096) })
  .openapi("SwitchDatabaseRequest");

export const ColumnSchema = z
  .object({
    name: z.string(),
    type: z.string(),
    notNull: z.boolean(),
    primaryKey: z.int().openapi({ description: "position in the primary key, 0 when not part of it" }),
  })
  .openapi("Column");

export const TableSchema = z
  .object({
    name: z.string(),
    kind: z.enum(["table", "view", "virtual"]),
    columns: z.array(ColumnSchema),
    rowCount: z.int().nullable(),
  })
  .openapi("Table");

export const SchemaResponseSchema = z
  .object({ fingerprint: z.string(), tables: z.array(TableSchema) })
  .openapi("Schema");

// The schemas above are the domain types, exactly (see exact.ts).
const _warmup: Exact<z.output<typeof WarmupSchema>, WarmStatus> = true;
const _database: Exact<z.output<typeof DatabaseSchema>, DatabaseInfo> = true;
const _status: Exact<
  z.output<typeof StatusSchema>,
  AskDbStatus & { download: DesktopDownloadProgress | null }
> = true;
const _resources: Exact<z.output<typeof ResourcesSchema>, ResourceSnapshot> = true;
// GET /api/schema sends a part of each table and column.
const _column: Exact<
  z.output<typeof ColumnSchema>,
  Pick<SchemaColumn, "name" | "type" | "notNull" | "primaryKey">
> = true;
const _table: Exact<
  z.output<typeof TableSchema>,
  Pick<SchemaTable, "name" | "kind" | "rowCount"> & { columns: z.output<typeof ColumnSchema>[] }
> = true;
