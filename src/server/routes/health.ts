import { createRoute } from "@hono/zod-openapi";
import type { RouteContext, ServerApp } from "../context.js";
import { HealthSchema, jsonResponse } from "../schemas/index.js";

const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["desktop app"],
  summary: "Liveness: answers at once, never waits on the model or a query",
  security: [],
  responses: { 200: jsonResponse(HealthSchema, "the server is up") },
});

export function registerHealthRoutes(app: ServerApp, { askdb }: RouteContext): void {
  app.openapi(health, (c) =>
    c.json(
      {
        status: "ok" as const,
        version: askdb.version,
        uptimeSeconds: Math.round(process.uptime() * 10) / 10,
      },
      200,
    ),
  );
}
