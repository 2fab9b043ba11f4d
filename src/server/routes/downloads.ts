import { createRoute } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { AskDbError } from "../../errors/index.js";
import type { RouteContext, ServerApp } from "../context.js";
import {
  DownloadEventSchema,
  DownloadListSchema,
  DownloadProgressSchema,
  DownloadSchema,
  DownloadStartedSchema,
  errors,
  IDLE_DOWNLOAD,
  IdParam,
  jsonBody,
  jsonResponse,
  ModelIdBodySchema,
  startedBody,
  textResponse,
  toDownloadProgress,
} from "../schemas/index.js";
import { assertMayPull } from "../security/index.js";
import {
  createDownloadWatch,
  HEARTBEAT_MS,
  isActive,
  STALL_AFTER_MS,
  type DownloadEvent,
} from "../download-watch.js";
import { streamAbortSignal } from "../sse.js";

const KEEPALIVE_MS = 15_000;

const downloadModel = createRoute({
  method: "post",
  path: "/download-model",
  tags: ["desktop app"],
  summary: "Start downloading a model (default: the recommended one); returns at once",
  request: { body: { ...jsonBody(ModelIdBodySchema), required: false } },
  responses: {
    202: jsonResponse(DownloadStartedSchema, "the download started (or was already running)"),
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
  request: { body: { ...jsonBody(ModelIdBodySchema), required: false } },
  responses: { 200: jsonResponse(DownloadProgressSchema, "the cancelled download"), ...errors(404) },
});

const listDownloads = createRoute({
  method: "get",
  path: "/api/downloads",
  tags: ["downloads"],
  summary: "Every download askdb knows of, newest first",
  responses: { 200: jsonResponse(DownloadListSchema, "the downloads") },
});

const downloadEvents = createRoute({
  method: "get",
  path: "/api/downloads/events",
  tags: ["downloads"],
  summary:
    "Server-Sent Events: `progress` with a DownloadEvent on every change; `done`, `failed`, `cancelled` at the end of one",
  description:
    `While a download runs, its \`progress\` event is also re-sent every ${HEARTBEAT_MS / 1000} s, bytes or not; ` +
    `\`stalled\` turns true (with \`bytesPerSecond\` 0) when no byte came for ${STALL_AFTER_MS / 1000} s.`,
  responses: {
    200: textResponse("text/event-stream", "the event stream; each event's data is a DownloadEvent"),
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
  // The events' data is not a response body: listed by name so clients get its type.
  app.openAPIRegistry.register("DownloadEvent", DownloadEventSchema);
  app.openapi(downloadModel, async (c) => {
    const { modelId } = c.req.valid("json");
    assertMayPull(c, modelId);
    const handle = await askdb.pullModel(modelId);
    return c.json(startedBody(handle), 202);
  });

  app.openapi(downloadProgress, (c) => {
    const latest = askdb.models.downloads.list()[0];
    return c.json(latest ? toDownloadProgress(latest) : IDLE_DOWNLOAD, 200);
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
