import { createRoute, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import type { DownloadHandle, DownloadProgress } from "../../app/index.js";
import { AskDbError } from "../../errors/index.js";
import type { RouteContext, ServerApp } from "../context.js";
import { errors, IdParam, jsonBody, jsonResponse } from "../schemas.js";
import { assertMayPull } from "../security/index.js";
import {
  createDownloadWatch,
  HEARTBEAT_MS,
  isActive,
  STALL_AFTER_MS,
  type DownloadEvent,
} from "../download-watch.js";
import { streamAbortSignal } from "../sse.js";

const GB = 1_000_000_000;
const KEEPALIVE_MS = 15_000;
const DOWNLOAD_STATUSES = [
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
    bytesPerSecond: z.number(),
    etaSeconds: z.number().nullable(),
    error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).optional(),
    stalled: z
      .boolean()
      .optional()
      .openapi({ description: "on the events stream: no byte came for a while" }),
  })
  .openapi("Download");

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

const ModelIdBody = z.object({
  modelId: z.string().trim().min(1).max(500).optional().openapi({
    description:
      "catalog id, hf:owner/repo/file.gguf, or https URL (needs the server's token); default: the recommended model",
  }),
});

export const StartedSchema = z
  .object({ status: z.string(), modelId: z.string(), downloadId: z.string() })
  .openapi("DownloadStarted");

const downloadModel = createRoute({
  method: "post",
  path: "/download-model",
  tags: ["desktop app"],
  summary: "Start downloading a model (default: the recommended one); returns at once",
  request: { body: { ...jsonBody(ModelIdBody), required: false } },
  responses: {
    202: jsonResponse(StartedSchema, "the download started (or was already running)"),
    ...errors(400, 401, 404, 409),
  },
});

const downloadProgress = createRoute({
  method: "get",
  path: "/download-progress",
  tags: ["desktop app"],
  summary: "Progress of the current (or latest) download",
  responses: { 200: jsonResponse(DownloadProgressSchema, "the progress; status idle when there is none") },
});

const cancelDownload = createRoute({
  method: "post",
  path: "/cancel-download",
  tags: ["desktop app"],
  summary: "Cancel the running download (its partial file is kept so a later download resumes)",
  request: { body: { ...jsonBody(ModelIdBody), required: false } },
  responses: { 200: jsonResponse(DownloadProgressSchema, "the cancelled download"), ...errors(404) },
});

const listDownloads = createRoute({
  method: "get",
  path: "/api/downloads",
  tags: ["downloads"],
  summary: "Every download askdb knows of, newest first",
  responses: { 200: jsonResponse(z.object({ downloads: z.array(DownloadSchema) }), "the downloads") },
});

const downloadEvents = createRoute({
  method: "get",
  path: "/api/downloads/events",
  tags: ["downloads"],
  summary:
    "Server-Sent Events: `progress` with a Download on every change; `done`, `failed`, `cancelled` at the end of one",
  description:
    `While a download runs, its \`progress\` event is also re-sent every ${HEARTBEAT_MS / 1000} s, bytes or not; ` +
    `\`stalled\` turns true (with \`bytesPerSecond\` 0) when no byte came for ${STALL_AFTER_MS / 1000} s.`,
  responses: {
    200: { description: "the event stream", content: { "text/event-stream": { schema: z.string() } } },
  },
});

const cancelById = createRoute({
  method: "post",
  path: "/api/downloads/{id}/cancel",
  tags: ["downloads"],
  summary: "Cancel one download",
  request: { params: IdParam },
  responses: { 200: jsonResponse(DownloadSchema, "the cancelled download"), ...errors(400, 404) },
});

export function registerDownloadRoutes(app: ServerApp, { askdb, shutdown }: RouteContext): void {
  app.openapi(downloadModel, async (c) => {
    const { modelId } = c.req.valid("json");
    assertMayPull(c, modelId);
    const handle = await askdb.pullModel(modelId);
    return c.json(startedBody(handle), 202);
  });

  app.openapi(downloadProgress, (c) => {
    const latest = askdb.models.downloads.list()[0];
    return c.json(latest ? toDownloadProgress(latest) : IDLE, 200);
  });

  app.openapi(cancelDownload, async (c) => {
    const { modelId } = c.req.valid("json");
    const running = askdb.models.downloads
      .list()
      .find((d) => isActive(d) && (!modelId || d.modelId === modelId));
    if (!running) {
      throw new AskDbError(
        "NOT_FOUND",
        modelId ? `no download of ${modelId} is running` : "no download is running",
        {
          hint: "GET /download-progress shows the latest download",
        },
      );
    }
    return c.json(toDownloadProgress(await askdb.models.downloads.cancel(running.id)), 200);
  });

  app.openapi(listDownloads, (c) => c.json({ downloads: askdb.models.downloads.list() }, 200));

  app.openapi(cancelById, async (c) =>
    c.json(await askdb.models.downloads.cancel(c.req.valid("param").id), 200),
  );

  app.openapi(
    downloadEvents,
    (c) =>
      streamSSE(c, async (stream) => {
        const signal = AbortSignal.any([streamAbortSignal(c, stream), shutdown]);
        let written = Promise.resolve();
        const send = ({ event, download }: DownloadEvent) => {
          written = written.then(() =>
            stream.aborted ? undefined : stream.writeSSE({ event, data: JSON.stringify(download) }),
          );
        };
        const watch = createDownloadWatch();
        const beat = () => watch.beat(askdb.models.downloads.list()).forEach(send);
        beat();
        const unsubscribe = askdb.models.downloads.subscribe((download) => send(watch.update(download)));
        const heartbeat = setInterval(beat, HEARTBEAT_MS);
        const keepalive = setInterval(
          () => (written = written.then(() => stream.write(": keepalive\n\n").then(() => undefined))),
          KEEPALIVE_MS,
        );
        await new Promise<void>((resolve) => {
          if (signal.aborted) resolve();
          signal.addEventListener("abort", () => resolve(), { once: true });
        });
        clearInterval(heartbeat);
        clearInterval(keepalive);
        unsubscribe();
      }) as never,
  );
}

export function startedBody(handle: DownloadHandle) {
  return {
    status: handle.alreadyInstalled ? "completed" : (handle.progress?.status ?? "queued"),
    modelId: handle.modelId,
    downloadId: handle.id,
  };
}

const IDLE: z.output<typeof DownloadProgressSchema> = {
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

/** The desktop app's snake_case progress shape. */
export function toDownloadProgress(download: DownloadProgress): z.output<typeof DownloadProgressSchema> {
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
