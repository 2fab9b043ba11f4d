import { createRoute } from "@hono/zod-openapi";
import type { RouteContext, ServerApp } from "../context.js";
import {
  errors,
  FeedbackRequestSchema,
  HistoryClearedSchema,
  HistoryListSchema,
  HistoryQuerySchema,
  jsonBody,
  jsonResponse,
  KnowledgeItemSchema,
} from "../schemas/index.js";

const listHistory = createRoute({
  method: "get",
  path: "/api/history",
  tags: ["history"],
  summary: "Questions asked, newest first",
  request: { query: HistoryQuerySchema },
  responses: {
    200: jsonResponse(HistoryListSchema, "the newest questions"),
    ...errors(400),
  },
});

const clearHistory = createRoute({
  method: "delete",
  path: "/api/history",
  tags: ["history"],
  summary: "Forget all question history and conversations",
  responses: { 200: jsonResponse(HistoryClearedSchema, "cleared") },
});

const feedback = createRoute({
  method: "post",
  path: "/api/feedback",
  tags: ["feedback"],
  summary:
    "Mark an answer correct, or give the corrected SQL (run through the guard first); the next similar question uses it",
  request: { body: jsonBody(FeedbackRequestSchema) },
  responses: {
    201: jsonResponse(KnowledgeItemSchema, "the trained question/SQL pair it became"),
    ...errors(400, 404, 422),
  },
});

export function registerHistoryRoutes(app: ServerApp, { askdb }: RouteContext): void {
  app.openapi(listHistory, async (c) => c.json({ items: await askdb.history(c.req.valid("query")) }, 200));
  app.openapi(clearHistory, (c) => c.json({ deleted: askdb.clearHistory().history }, 200));
  app.openapi(feedback, async (c) => c.json(await askdb.feedback(c.req.valid("json")), 201));
}
