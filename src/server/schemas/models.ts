import { z } from "@hono/zod-openapi";
import type { DownloadHandle, DownloadProgress, ModelListing, ModelListItem } from "../../app/index.js";
import type { DownloadStatus } from "../../models/index.js";
import type { WatchedDownload } from "../download-watch.js";
import { orNull } from "./common.js";
import type { Exact } from "./exact.js";

/** Models and their downloads: /api/models, /api/downloads, and the desktop app's /download-*. */

export const DOWNLOAD_STATUSES = [
  "queued",
  "downloading",
  "paused",
  "verifying",
  "completed",
  "failed",
  "cancelled",
] as const;

export const DownloadSchema = z
  .object({
    id: z.string(),
    modelId: z.string(),
    fileName: z.string(),
    url: z.string(),
    status: z.enum(DOWNLOAD_STATUSES),
    downloadedBytes: z.number(),
    totalBytes: z.number().nullable(),
    percent: z.number().nullable(),
    bytesPerSecond: z.number().openapi({ description: "moving average over the last few seconds" }),
    etaSeconds: z.number().nullable(),
    error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).optional(),
    retry: z
      .object({ attempt: z.int(), of: z.int(), reason: z.string(), delaySeconds: z.number() })
      .optional()
      .openapi({ description: "set while waiting to retry after a network error or a stall" }),
  })
  .openapi("Download");

/** The data of each event on GET /api/downloads/events. */
export const DownloadEventSchema = DownloadSchema.extend({
  stalled: z.boolean().openapi({
    description: "no byte came for a while (bytesPerSecond is then 0; the download retries by itself)",
  }),
}).openapi("DownloadEvent", { description: "the data of each event on GET /api/downloads/events" });

export const DownloadListSchema = z.object({ downloads: z.array(DownloadSchema) }).openapi("DownloadList");

/** The desktop app's snake_case progress shape (GET /download-progress, /status). */
export const DownloadProgressSchema = z
  .object({
    status: z.enum(["idle", ...DOWNLOAD_STATUSES]),
    modelId: z.string().nullable(),
    downloaded_bytes: z.number(),
    total_bytes: z.number(),
    downloaded_gb: z.number(),
    total_gb: z.number(),
    percentage: z.number(),
    speed: z.number().openapi({ description: "bytes per second" }),
    eta: z.number().nullable().openapi({ description: "seconds left" }),
    error: z.string().nullable(),
  })
  .openapi("DownloadProgress");

export type DesktopDownloadProgress = z.output<typeof DownloadProgressSchema>;

export const ModelIdBodySchema = z.object({
  modelId: z.string().trim().min(1).max(500).optional().openapi({
    description:
      "catalog id, hf:owner/repo/file.gguf, or https URL (needs the server's token); default: the recommended model",
  }),
});

export const DownloadStartedSchema = z
  .object({
    status: z.enum(DOWNLOAD_STATUSES),
    modelId: z.string(),
    downloadId: z.string().openapi({ description: "empty when the model was already installed" }),
  })
  .openapi("DownloadStarted");

export const ModelSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    kind: z.enum(["llm", "embedding"]),
    sizeBytes: z.number(),
    parameters: z.number().nullable(),
    quantization: z.string().nullable(),
    tags: z.array(z.string()),
    license: z.string().nullable(),
    recommended: z.boolean(),
    memoryBytes: z.number().nullable().openapi({ description: "memory the model needs to run" }),
    fitsInMemory: z.boolean(),
    installed: z.boolean(),
    active: z.boolean(),
    source: z.string().openapi({ description: "catalog | hf | url | file | ollama" }),
    download: orNull(DownloadSchema),
  })
  .openapi("Model");

export const ModelListSchema = z
  .object({
    models: z.array(ModelSchema),
    recommended: z.string().nullable(),
    totalMemoryBytes: z.number(),
    ollama: z.object({ url: z.string(), ok: z.boolean(), error: z.string().optional() }).nullable(),
  })
  .openapi("ModelList");

export const PullRequestSchema = z
  .object({ modelId: z.string().trim().min(1).max(500) })
  .openapi("PullRequest");

export const ActivatedSchema = z.object({ active: z.string() }).openapi("Activated");

/** What starting a download answers. */
export function startedBody(handle: DownloadHandle): z.output<typeof DownloadStartedSchema> {
  return {
    status: handle.alreadyInstalled ? "completed" : (handle.progress?.status ?? "queued"),
    modelId: handle.modelId,
    downloadId: handle.id,
  };
}

const GB = 1_000_000_000;

export const IDLE_DOWNLOAD: DesktopDownloadProgress = {
  status: "idle",
  modelId: null,
  downloaded_bytes: 0,
  total_bytes: 0,
  downloaded_gb: 0,
  total_gb: 0,
  percentage: 0,
  speed: 0,
  eta: null,
  error: null,
};

/** A download in the desktop app's snake_case progress shape. */
export function toDownloadProgress(download: DownloadProgress): DesktopDownloadProgress {
  const total = download.totalBytes ?? 0;
  return {
    status: download.status,
    modelId: download.modelId,
    downloaded_bytes: download.downloadedBytes,
    total_bytes: total,
    downloaded_gb: round(download.downloadedBytes / GB, 3),
    total_gb: round(total / GB, 3),
    percentage: total > 0 ? round((download.downloadedBytes / total) * 100, 1) : 0,
    speed: Math.round(download.bytesPerSecond),
    eta: download.etaSeconds === null ? null : Math.round(download.etaSeconds),
    error: download.error?.message ?? null,
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

// The schemas above are the domain types, exactly (see exact.ts).
const _statuses: Exact<(typeof DOWNLOAD_STATUSES)[number], DownloadStatus> = true;
const _download: Exact<z.output<typeof DownloadSchema>, DownloadProgress> = true;
const _event: Exact<z.output<typeof DownloadEventSchema>, WatchedDownload> = true;
const _model: Exact<z.output<typeof ModelSchema>, ModelListItem> = true;
const _models: Exact<z.output<typeof ModelListSchema>, ModelListing> = true;
