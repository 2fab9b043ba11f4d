import { createRoute } from "@hono/zod-openapi";
import type { RouteContext, ServerApp } from "../context.js";
import { isActive } from "../download-watch.js";
import { jsonResponse, ResourcesSchema, StatusSchema, toDownloadProgress } from "../schemas/index.js";

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
