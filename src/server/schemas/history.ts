import { z } from "@hono/zod-openapi";
import type { FeedbackInput, HistoryEntry } from "../../app/index.js";
import { ANSWER_SOURCES, AnswerTimingsSchema, AttemptSchema } from "./answer.js";
import type { Exact } from "./exact.js";

/** Questions asked and feedback on their answers: /api/history, /api/feedback. */

export const HistoryEntrySchema = z
  .object({
    id: z.string(),
    dbId: z.string(),
    conversationId: z.string().optional(),
    question: z.string(),
    standaloneQuestion: z.string().optional(),
    sql: z.string().optional(),
    source: z.enum(ANSWER_SOURCES).optional(),
    rowCount: z.int().optional(),
    error: z.string().optional(),
    model: z.string().optional(),
    attempts: z.array(AttemptSchema),
    timings: AnswerTimingsSchema.optional(),
    createdAt: z.string(),
  })
  .openapi("HistoryEntry");

export const HistoryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  conversationId: z.string().max(100).optional(),
});

export const HistoryListSchema = z.object({ items: z.array(HistoryEntrySchema) }).openapi("HistoryList");

export const HistoryClearedSchema = z
  .object({ deleted: z.int().openapi({ description: "how many questions were forgotten" }) })
  .openapi("HistoryCleared");

export const FeedbackRequestSchema = z
  .discriminatedUnion("verdict", [
    z.object({ historyId: z.string().min(1).max(100), verdict: z.literal("correct") }),
    z.object({
      historyId: z.string().min(1).max(100),
      verdict: z.literal("corrected"),
      sql: z.string().trim().min(1, "give the corrected SQL").max(100_000),
    }),
  ])
  .openapi("FeedbackRequest");

// The schemas above are the domain types, exactly (see exact.ts).
const _history: Exact<z.output<typeof HistoryEntrySchema>, HistoryEntry> = true;
const _feedback: Exact<z.output<typeof FeedbackRequestSchema>, FeedbackInput> = true;
