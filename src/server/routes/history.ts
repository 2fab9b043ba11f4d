import { createRoute, z } from "@hono/zod-openapi";
import type { RouteContext, ServerApp } from "../context.js";
import { errors, jsonBody, jsonResponse } from "../schemas.js";
import { KnowledgeSchema } from "./knowledge.js";
import { AttemptSchema, TimingsSchema } from "./query.js";

const HistorySchema = z
  .object({
    id: z.string(),
    dbId: z.string(),
    conversationId: z.string().optional(),
    question: z.string(),
    standaloneQuestion: z.string().optional(),
    sql: z.string().optional(),
    source: z.enum(["model", "example", "cache"]).optional(),
    rowCount: z.int().optional(),
    error: z.string().optional(),
    model: z.string().optional(),
    attempts: z.array(AttemptSchema),
    timings: TimingsSchema.optional(),
    createdAt: z.string(),
  })
  .openapi("HistoryEntry");

const FeedbackRequest = z
  .discriminatedUnion("verdict", [
    z.object({ historyId: z.string().min(1).max(100), verdict: z.literal("correct") }),
    z.object({
      historyId: z.string().min(1).max(100),
      verdict: z.literal("corrected"),
      sql: z.string().trim().min(1, "give the corrected SQL").max(100_000),
    }),
  ])
  .openapi("FeedbackRequest");

const listHistory = createRoute({
  method: "get",
  path: "/api/history",
  tags: ["history"],
  summary: "Questions asked, newest first",
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(1000).default(50),
      conversationId: z.string().max(100).optional(),
    }),
  },
  responses: {
    200: jsonResponse(z.object({ items: z.array(HistorySchema) }), "the newest questions"),
    ...errors(400),
  },
});

const clearHistory = createRoute({
  method: "delete",
  path: "/api/history",
  tags: ["history"],
  summary: "Forget all question history and conversations",
  responses: { 200: jsonResponse(z.object({ deleted: z.int() }), "cleared") },
});

const feedback = createRoute({
  method: "post",
  path: "/api/feedback",
  tags: ["feedback"],
  summary:
    "Mark an answer correct, or give the corrected SQL (run through the guard first); the next similar question uses it",
  request: { body: jsonBody(FeedbackRequest) },
  responses: {
    201: jsonResponse(KnowledgeSchema, "the trained question/SQL pair it became"),
    ...errors(400, 404, 422),
  },
});

export function registerHistoryRoutes(app: ServerApp, { askdb }: RouteContext): void {
  app.openapi(listHistory, async (c) => c.json({ items: await askdb.history(c.req.valid("query")) }, 200));
  app.openapi(clearHistory, (c) => c.json({ deleted: askdb.clearHistory() }, 200));
  app.openapi(feedback, async (c) => c.json(await askdb.feedback(c.req.valid("json")), 201));
}
